import t from "tap";
import { Scheduler } from "../../../src/scheduler/scheduler.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import { jobPatchFromWire, jobSpecFromWire } from "../../../gateway/jobs/spec-from-wire.js";
import { rolloutToWire } from "../../../gateway/jobs/job-resource.js";
import { defaultSchemas } from "../../../gateway/validation/schemas.js";

const body = {
  Action: "PatchProfile",
  Machines: ["m1"],
  Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
  Schedule: { Type: "Manual" as const },
};

t.test("Rollout goes on the wire as seconds and names, in the core as the policy's rollout, and back", async (t) => {
  const spec = jobSpecFromWire({ ...body, Rollout: { Canary: 2, BatchPercent: 25, MaxFailurePercent: 10, PauseSeconds: 1.5, OnHalt: "Revert" } });
  t.same(spec.policy?.rollout, { canary: 2, batchPercent: 25, maxFailurePercent: 10, pauseMs: 1500, onHalt: "Revert" });
  t.same(rolloutToWire(spec.policy!.rollout!), { Canary: 2, BatchPercent: 25, MaxFailurePercent: 10, PauseSeconds: 1.5, OnHalt: "Revert" });
  const defaults = jobSpecFromWire({ ...body, Rollout: { BatchSize: 10 } });
  t.same(defaults.policy?.rollout, { canary: 0, batchSize: 10, maxFailurePercent: 0, pauseMs: 0, onHalt: "Stop" });
});

t.test("a PATCH with Rollout null removes it from the stored job and leaves the rest of the policy", async (t) => {
  const scheduler = new Scheduler({ store: new MemoryStore(), timeZone: "UTC" });
  scheduler.defineAction("PatchProfile", { run: async () => "done" });
  await scheduler.start();
  t.teardown(() => scheduler.stop());
  const job = await scheduler.createJob(jobSpecFromWire({ ...body, Policy: { Overlap: "Queue" }, Rollout: { Canary: 1, BatchSize: 2 } }));
  t.ok(job.policy.rollout, "created with a rollout");
  const removed = await scheduler.updateJob(job.id, jobPatchFromWire({ Rollout: null }, job));
  t.equal(removed.policy.rollout, undefined, "the rollout is gone");
  t.match(removed.policy, { overlap: "Queue", misfire: "RunOnce" }, "the rest of the policy is kept");
  t.same(jobPatchFromWire({ Rollout: { BatchSize: 5 } }, removed).policy?.rollout, { canary: 0, batchSize: 5, maxFailurePercent: 0, pauseMs: 0, onHalt: "Stop" });
});

t.test("the schema wants exactly one of BatchSize and BatchPercent, and no unknown names", async (t) => {
  const schemas = defaultSchemas();
  t.same(schemas.problems("job-create.json", { ...body, Rollout: { BatchSize: 5 } }), []);
  t.not(schemas.problems("job-create.json", { ...body, Rollout: { Canary: 1 } }).length, 0);
  t.not(schemas.problems("job-create.json", { ...body, Rollout: { BatchSize: 5, BatchPercent: 10 } }).length, 0);
  t.not(schemas.problems("job-create.json", { ...body, Rollout: { BatchSize: 5, Waves: 3 } }).length, 0);
  t.same(schemas.problems("job-patch.json", { Rollout: null }), []);
});
