/** Plain, valid core records for store tests, built without a scheduler. */
import type { Execution, ExecutionState } from "../../src/executions/types.js";
import type { Job } from "../../src/jobs/types.js";

export function makeJob(id: string, overrides: Partial<Job> = {}): Job {
  return {
    id,
    name: `job ${id}`,
    description: null,
    enabled: true,
    pausedReason: null,
    cancelled: false,
    schedule: { type: "Cron", cron: "0 22 * * 1-5", timeZone: "UTC" },
    steps: [
      {
        name: "patch",
        action: "noop",
        targets: Array.from({ length: 10 }, (_, i) => `server-${i}`),
        payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
        mode: "Sequential",
        continueOnFailure: false,
      },
    ],
    policy: { overlap: "Skip", misfire: "RunOnce" },
    createdAt: "2026-01-01T00:00:00.000Z",
    updatedAt: "2026-01-01T00:00:00.000Z",
    lastRunAt: null,
    nextRunAt: "2026-01-01T22:00:00.000Z",
    runCount: 0,
    ...overrides,
  };
}

export function makeExecution(
  id: string,
  jobId: string,
  startedAt: string,
  state: ExecutionState = "Completed",
): Execution {
  return {
    id,
    jobId,
    trigger: "Manual",
    initiatedBy: "test",
    scheduledFor: startedAt,
    startedAt,
    endedAt: state === "Running" ? null : startedAt,
    state,
    health: state === "Completed" ? "OK" : null,
    percentComplete: state === "Running" ? 50 : 100,
    reason: null,
    steps: [],
  };
}
