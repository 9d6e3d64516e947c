/** The console's writes: each one asks the live source to reload what it changed. */
import { api } from "../api/client.js";
import { executionPath, jobPath, machinePath, type Execution, type Job } from "../api/types.js";
import { live } from "./source.js";

export async function setEnabled(jobId: string, enabled: boolean): Promise<Job> {
  const job = await api<Job>("PATCH", jobPath(jobId), { body: { Enabled: enabled } });
  live.refresh();
  return job;
}

export async function trigger(jobId: string): Promise<Execution> {
  const execution = await api<Execution>("POST", `${jobPath(jobId)}/Actions/Trigger`, { body: {} });
  live.refresh();
  return execution;
}

/** Stops the job's scheduling for good (the API's Job.Cancel). */
export async function cancelJob(jobId: string): Promise<void> {
  await api("POST", `${jobPath(jobId)}/Actions/Cancel`, { body: {} });
  live.refresh();
}

export async function deleteJob(jobId: string): Promise<void> {
  await api("DELETE", jobPath(jobId));
  live.refresh();
}

export async function cancelRun(jobId: string, executionId: string): Promise<void> {
  await api("POST", `${executionPath(jobId, executionId)}/Actions/Cancel`, { body: {} });
  live.refresh();
}

export async function removeMachine(machineId: string, force: boolean): Promise<void> {
  await api("DELETE", `${machinePath(machineId)}${force ? "?force=true" : ""}`);
  live.refresh();
}

/** Goes on with a Halted rollout, in the same execution. */
export async function resumeRun(jobId: string, executionId: string): Promise<Execution> {
  const execution = await api<Execution>("POST", `${executionPath(jobId, executionId)}/Actions/Resume`, { body: {} });
  live.refresh();
  return execution;
}

/** Starts a new run that sets back what this one changed; resolves with that new run. */
export async function revertRun(jobId: string, executionId: string): Promise<Execution> {
  const execution = await api<Execution>("POST", `${executionPath(jobId, executionId)}/Actions/Revert`, { body: {} });
  live.refresh();
  return execution;
}
