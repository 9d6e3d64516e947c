import t from "tap";
import type { Job } from "../../src/jobs/types.js";
import { iso, newExecution, soleTarget, stepGroups } from "../../src/scheduler/execution-record.js";

t.test("iso answers right for instants that come back in any order", async (t) => {
  const instants = [0, 1_000, 0, 1_000, 2_000, 1_000, 0, 0, 2_000, 86_400_000];
  t.same(
    instants.map((ms) => iso(ms)),
    instants.map((ms) => new Date(ms).toISOString()),
  );
});

t.test("a new record has every step and target Pending, grouped as the steps' modes say", async (t) => {
  const step = (name: string, mode: "Sequential" | "ParallelWithPrevious", targets: string[]) => ({ name, action: "a", mode, targets, continueOnFailure: false });
  const job = { id: "Job-1", steps: [step("one", "Sequential", ["m1", "m2"]), step("two", "ParallelWithPrevious", ["m3"]), step("three", "Sequential", [])] } as unknown as Job;
  const record = newExecution({ id: "Exec-1", job, trigger: "Manual", initiatedBy: "me", scheduledFor: 0 });
  t.same(
    record.steps.map((s) => [s.name, s.group, s.state, s.targets.map((r) => `${r.target}:${r.status}`)]),
    [
      ["one", 0, "Pending", ["m1:Pending", "m2:Pending"]],
      ["two", 0, "Pending", ["m3:Pending"]],
      ["three", 1, "Pending", []],
    ],
  );
  t.same(stepGroups(job.steps), [[0, 1], [2]]);
  t.same(stepGroups(job.steps.slice(0, 1)), [[0]], "one step, one group");
});

t.test("a step's sole target is its one Pending target, and only that", async (t) => {
  const target = (status: "Pending" | "Success") => ({ target: "m1", status, ok: false, attempts: 0, startedAt: null, endedAt: null });
  const step = (targets: ReturnType<typeof target>[]) => ({ name: "s", action: "a", group: 0, state: "Pending" as const, targets });
  t.equal(soleTarget(step([target("Pending")]))?.target, "m1");
  t.equal(soleTarget(step([target("Success")])), undefined, "already settled (a resumed run)");
  t.equal(soleTarget(step([target("Pending"), target("Pending")])), undefined, "two targets");
  t.equal(soleTarget(step([])), undefined, "none");
});
