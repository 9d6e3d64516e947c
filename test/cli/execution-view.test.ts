import t from "tap";
import { exitCodeFor, machineCounts, outcomeLine, progressOf } from "../../cli/execution-view.js";

const task = (machine: string, status: string) => ({ MachineId: machine, Status: status, Attempts: 1 });

t.test("a job of several steps counts tasks for progress and machines for failures", async (t) => {
  const execution = {
    State: "Running",
    Summary: { Machines: 2, Succeeded: 0, Failed: 1 },
    Steps: [
      { Name: "profile", Action: "PatchProfile", Machines: [task("a", "Success"), task("b", "Error")] },
      { Name: "zone", Action: "PatchFanZone", Machines: [task("a", "Running"), task("b", "Error")] },
    ],
  };
  t.same(progressOf(execution), { done: 3, total: 4, failed: 1, label: "Running", unit: "tasks" });
  t.same(machineCounts(execution), { machines: 2, ok: 0, failed: 1 });
});

t.test("without a Summary, machines are counted from the steps: ok only when every task succeeded", async (t) => {
  const execution = {
    State: "Completed",
    Health: "Warning",
    StartTime: "2026-02-10T22:00:00Z",
    EndTime: "2026-02-10T22:00:01Z",
    Steps: [
      { Name: "one", Machines: [task("a", "Success"), task("b", "Success"), task("c", "Error")] },
      { Name: "two", Machines: [task("a", "Success"), task("b", "Skipped")] },
    ],
  };
  t.same(machineCounts(execution), { machines: 3, ok: 1, failed: 1 });
  t.equal(outcomeLine(execution), "Completed, health Warning: 3 machines, 1 ok, 1 failed, in 1s");
  t.equal(exitCodeFor(execution), 1);
});

t.test("exit codes: OK 0, any failure 1, cancelled/skipped/interrupted/failed-to-start 3", async (t) => {
  const ok = { State: "Completed", Health: "OK", Steps: [{ Machines: [task("a", "Success")] }] };
  t.equal(exitCodeFor(ok), 0);
  t.equal(exitCodeFor({ ...ok, Health: "Warning" }), 1, "health alone is enough");
  for (const state of ["Cancelled", "Skipped", "Interrupted"]) t.equal(exitCodeFor({ ...ok, State: state }), 3, state);
  t.equal(exitCodeFor({ State: "Failed", Health: null, Steps: [] }), 3);
  t.equal(exitCodeFor({ State: "Failed", Health: "Critical", Steps: [{ Machines: [task("a", "Error")] }] }), 1);
});

t.test("a rollout's progress and outcome line name the batch it is in", async (t) => {
  const execution = {
    State: "Halted",
    Reason: "CanaryFailed",
    Rollout: { Batch: 0, Batches: 5, Halted: true, Reason: "CanaryFailed" },
    Summary: { Machines: 2, Succeeded: 1, Failed: 1 },
    Steps: [{ Name: "s", Action: "a", Machines: [{ MachineId: "m1", Status: "Success" }, { MachineId: "m2", Status: "Error" }] }],
  };
  t.equal(progressOf(execution).label, "Halted, batch 0 of 5");
  t.match(outcomeLine(execution), /^Halted: 2 machines, 1 ok, 1 failed, batch 0 of 5 \(CanaryFailed\)$/);
  t.equal(exitCodeFor(execution), 1);
});
