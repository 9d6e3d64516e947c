/**
 * Conflict detection on create: a new job whose steps (action and machines)
 * and schedule are those of an enabled job is accepted (the operator may mean
 * it) but answered with a warning naming the other job, since both will write
 * the same machines at the same time.
 */
import { isDeepStrictEqual } from "node:util";
import type { Job } from "../../src/jobs/types.js";
import type { Problem } from "../redfish/errors.js";
import { paths } from "../redfish/paths.js";

const machineSet = (targets: readonly string[]): string[] => [...new Set(targets)].sort();

function sameWork(a: Job, b: Job): boolean {
  return (
    isDeepStrictEqual(a.schedule, b.schedule) &&
    a.steps.length === b.steps.length &&
    a.steps.every((s, i) => s.action === b.steps[i]!.action && isDeepStrictEqual(machineSet(s.targets), machineSet(b.steps[i]!.targets)))
  );
}

/** The enabled jobs (other than `job`) that do the same action on the same machines on the same schedule. */
export function duplicatesOf(job: Job, jobs: readonly Job[]): Job[] {
  return jobs.filter((other) => other.id !== job.id && other.enabled && !other.cancelled && sameWork(job, other));
}

/** One warning per duplicate, for the 201's @Message.ExtendedInfo. */
export function duplicateWarnings(job: Job, duplicates: readonly Job[]): Problem[] {
  return duplicates.map((other) => ({
    key: "PropertyValueConflict",
    args: ["Schedule", paths.job(other.id)],
    relatedProperties: ["#/Schedule", "#/Machines"],
    message: `Job '${job.id}' was created, but enabled job '${other.id}' (${other.name}) already runs the same action on the same machines on the same schedule; both will run.`,
    resolution: "If one job is enough, delete or pause the other; otherwise give them different schedules.",
  }));
}
