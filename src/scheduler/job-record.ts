/** The job object the scheduler keeps: built from validated fields, and always plain data of its own. */
import { ShoalError } from "../errors.js";
import type { Job } from "../jobs/types.js";
import type { JobFields } from "./job-spec.js";

/** A new job from validated fields, not yet run and not yet on the timer (nextRunAt null). */
export function newJob(id: string, fields: JobFields, at: string): Job {
  const draft: Job = {
    id,
    name: fields.name,
    description: fields.description,
    enabled: fields.enabled,
    pausedReason: null,
    cancelled: false,
    schedule: fields.schedule,
    steps: fields.steps,
    policy: fields.policy,
    createdAt: at,
    updatedAt: at,
    lastRunAt: null,
    nextRunAt: null,
    runCount: 0,
  };
  if (fields.metadata !== undefined) draft.metadata = fields.metadata;
  return validatedCopy(draft);
}

/** A deep copy of plain data; anything else (functions, class instances with hidden state) is refused. */
export function validatedCopy<T>(value: T): T {
  try {
    return structuredClone(value);
  } catch (error) {
    throw ShoalError.validation([{ path: "", kind: "type", message: `must be plain data: ${String(error)}` }], "job");
  }
}
