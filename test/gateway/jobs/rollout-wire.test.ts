import t from "tap";
import type { Job } from "../../../src/jobs/types.js";
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

t.test("a PATCH with Rollout null removes it and leaves the rest of the policy", async (t) => {
  const current = { policy: { overlap: "Queue", misfire: "RunOnce", rollout: { canary: 1, batchSize: 2, maxFailurePercent: 0, pauseMs: 0, onHalt: "Stop" } }, steps: [] } as unknown as Job;
  t.same(jobPatchFromWire({ Rollout: null }, current).policy, { overlap: "Queue", misfire: "RunOnce" });
  t.same(jobPatchFromWire({ Rollout: { BatchSize: 5 } }, current).policy?.rollout, { canary: 0, batchSize: 5, maxFailurePercent: 0, pauseMs: 0, onHalt: "Stop" });
});

t.test("the schema wants exactly one of BatchSize and BatchPercent, and no unknown names", async (t) => {
  const schemas = defaultSchemas();
  t.same(schemas.problems("job-create.json", { ...body, Rollout: { BatchSize: 5 } }), []);
  t.not(schemas.problems("job-create.json", { ...body, Rollout: { Canary: 1 } }).length, 0);
  t.not(schemas.problems("job-create.json", { ...body, Rollout: { BatchSize: 5, BatchPercent: 10 } }).length, 0);
  t.not(schemas.problems("job-create.json", { ...body, Rollout: { BatchSize: 5, Waves: 3 } }).length, 0);
  t.same(schemas.problems("job-patch.json", { Rollout: null }), []);
});
