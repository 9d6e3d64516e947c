import t from "tap";
import type { Execution } from "../../../src/executions/types.js";
import { executionResource, summarise } from "../../../gateway/jobs/execution-resource.js";

const execution: Execution = {
  id: "Exec-7",
  jobId: "Job-1",
  trigger: "Manual",
  initiatedBy: "api:ops",
  scheduledFor: null,
  startedAt: "2026-02-10T22:00:00.000Z",
  endedAt: "2026-02-10T22:00:01.500Z",
  state: "Completed",
  health: "Warning",
  percentComplete: 100,
  reason: null,
  steps: [
    {
      name: "profile",
      action: "PatchProfile",
      group: 0,
      state: "Completed",
      targets: [
        { target: "n1", status: "Success", ok: true, attempts: 1, startedAt: "2026-02-10T22:00:00.000Z", endedAt: "2026-02-10T22:00:00.300Z", output: { resultFile: "Job-1_n1_PatchProfile_20260210_220000_success.json" } },
        { target: "n2", status: "Error", ok: false, attempts: 3, startedAt: "2026-02-10T22:00:00.000Z", endedAt: "2026-02-10T22:00:01.500Z", error: { type: "Timeout", message: "no answer in 30 s" } },
      ],
    },
    {
      name: "manager",
      action: "PatchManager",
      group: 1,
      state: "Completed",
      targets: [
        { target: "n1", status: "Success", ok: true, attempts: 1, startedAt: null, endedAt: null },
        { target: "n3", status: "Skipped", ok: false, attempts: 0, startedAt: null, endedAt: null },
      ],
    },
  ],
};

t.test("an execution renders as REDFISH.md's JobExecution with per-step, per-machine results", async (t) => {
  const r = executionResource(execution);
  t.match(r, {
    "@odata.type": "#JobExecution.v1_0_0.JobExecution",
    "@odata.id": "/MultiFish/v1/JobService/Jobs/Job-1/Executions/Exec-7",
    Id: "Exec-7",
    JobId: "Job-1",
    State: "Completed",
    Health: "Warning",
    PercentComplete: 100,
    Trigger: "Manual",
    InitiatedBy: "api:ops",
    Reason: null,
    ScheduledTime: null,
    StartTime: "2026-02-10T22:00:00Z",
    EndTime: "2026-02-10T22:00:01.500Z",
    Actions: { "#JobExecution.Cancel": { target: "/MultiFish/v1/JobService/Jobs/Job-1/Executions/Exec-7/Actions/Cancel" } },
  });
  const steps = r["Steps"] as { Name: string; Action: string; State: string; Machines: Record<string, unknown>[] }[];
  t.same(steps[0]?.Machines[0], {
    MachineId: "n1",
    Status: "Success",
    Attempts: 1,
    StartTime: "2026-02-10T22:00:00Z",
    EndTime: "2026-02-10T22:00:00.300Z",
    ErrorType: null,
    Message: null,
    ResultFile: "Job-1_n1_PatchProfile_20260210_220000_success.json",
  });
  t.match(steps[0]?.Machines[1], { MachineId: "n2", Status: "Error", Attempts: 3, ErrorType: "Timeout", Message: "no answer in 30 s", ResultFile: null });
});

t.test("the summary counts machines, not tasks", async (t) => {
  t.same(summarise(execution), { Machines: 3, Succeeded: 1, Failed: 1 }, "n3 was skipped: neither");
});
