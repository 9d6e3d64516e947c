/**
 * The job or execution a URL names, or the 404 that says which one is
 * missing. Shared by the Jobs and Executions routes.
 */
import { isShoalError } from "../../src/errors.js";
import type { Execution } from "../../src/executions/types.js";
import type { Job } from "../../src/jobs/types.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import { RedfishError } from "../redfish/errors.js";

function notFoundAs(error: unknown, type: string, id: string): never {
  if (isShoalError(error) && error.code === "NotFound") throw RedfishError.resourceNotFound(type, id);
  throw error;
}

export function jobOr404(scheduler: Scheduler, jobId: string): Job {
  try {
    return scheduler.getJob(jobId);
  } catch (error) {
    return notFoundAs(error, "Job", jobId);
  }
}

/** The job as the scheduler holds it (Scheduler.readJob): read it, never change it. */
export function readJobOr404(scheduler: Scheduler, jobId: string): Readonly<Job> {
  try {
    return scheduler.readJob(jobId);
  } catch (error) {
    return notFoundAs(error, "Job", jobId);
  }
}

/** The execution, only if it belongs to the job the URL names. */
export function executionOr404(scheduler: Scheduler, jobId: string, executionId: string): Execution {
  let execution: Execution;
  try {
    execution = scheduler.getExecution(executionId);
  } catch (error) {
    return notFoundAs(error, "JobExecution", executionId);
  }
  if (execution.jobId !== jobId) throw RedfishError.resourceNotFound("JobExecution", executionId);
  return execution;
}
