/**
 * Every URL the gateway serves or links to, built in one place so a route,
 * a resource's `@odata.id` and a `Location` header can never disagree.
 */
export const SERVICE_ROOT = "/MultiFish/v1";

const seg = (id: string): string => encodeURIComponent(id);

const machineManager = (machineId: string, managerId: string) => `${SERVICE_ROOT}/Platform/${seg(machineId)}/Managers/${seg(managerId)}`;
const openBmcFan = (machineId: string, managerId: string) => `${machineManager(machineId, managerId)}/Oem/OpenBmc/Fan`;

export const paths = {
  root: SERVICE_ROOT,
  platform: `${SERVICE_ROOT}/Platform`,
  machine: (machineId: string) => `${SERVICE_ROOT}/Platform/${seg(machineId)}`,
  machineManagers: (machineId: string) => `${SERVICE_ROOT}/Platform/${seg(machineId)}/Managers`,
  machineSystems: (machineId: string) => `${SERVICE_ROOT}/Platform/${seg(machineId)}/Systems`,
  machineManager,
  fanProfile: (machineId: string, managerId: string) => `${openBmcFan(machineId, managerId)}/Profile`,
  /** `collection` is FanControllers, FanZones or PidControllers. */
  fanCollection: (machineId: string, managerId: string, collection: string) => `${openBmcFan(machineId, managerId)}/${collection}`,
  fanMember: (machineId: string, managerId: string, collection: string, memberId: string) =>
    `${openBmcFan(machineId, managerId)}/${collection}/${seg(memberId)}`,
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
