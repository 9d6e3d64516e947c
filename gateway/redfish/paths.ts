/**
 * Every URL the gateway serves or links to, built in one place so a route,
 * a resource's `@odata.id` and a `Location` header can never disagree.
 */
export const SERVICE_ROOT = "/MultiFish/v1";

const seg = (id: string): string => encodeURIComponent(id);

export const paths = {
  root: SERVICE_ROOT,
  platform: `${SERVICE_ROOT}/Platform`,
  machine: (machineId: string) => `${SERVICE_ROOT}/Platform/${seg(machineId)}`,
  machineManagers: (machineId: string) => `${SERVICE_ROOT}/Platform/${seg(machineId)}/Managers`,
  machineSystems: (machineId: string) => `${SERVICE_ROOT}/Platform/${seg(machineId)}/Systems`,
  jobService: `${SERVICE_ROOT}/JobService`,
  previewSchedule: `${SERVICE_ROOT}/JobService/Actions/JobService.PreviewSchedule`,
  jobs: `${SERVICE_ROOT}/JobService/Jobs`,
  job: (jobId: string) => `${SERVICE_ROOT}/JobService/Jobs/${seg(jobId)}`,
  jobTrigger: (jobId: string) => `${SERVICE_ROOT}/JobService/Jobs/${seg(jobId)}/Actions/Trigger`,
  jobCancel: (jobId: string) => `${SERVICE_ROOT}/JobService/Jobs/${seg(jobId)}/Actions/Cancel`,
  executions: (jobId: string) => `${SERVICE_ROOT}/JobService/Jobs/${seg(jobId)}/Executions`,
  execution: (jobId: string, executionId: string) =>
    `${SERVICE_ROOT}/JobService/Jobs/${seg(jobId)}/Executions/${seg(executionId)}`,
  executionCancel: (jobId: string, executionId: string) =>
    `${SERVICE_ROOT}/JobService/Jobs/${seg(jobId)}/Executions/${seg(executionId)}/Actions/Cancel`,
} as const;
