import t from "tap";
import { ShoalError } from "../../src/errors.js";
import type { Job } from "../../src/jobs/types.js";
import { harness } from "./helpers.js";

t.test("updateJob with a precondition checks it after earlier changes to the job are saved: of two based on one version, the second is PreconditionFailed", async (t) => {
  const { scheduler } = await harness({ before: (s) => s.defineAction("work", { run: async () => undefined }) });
  const job = await scheduler.createJob({ name: "v1", schedule: { type: "Manual" }, steps: [{ action: "work", targets: ["m1"] }] });
  const sameAs = (seen: Job) => (current: Job) => current.name === seen.name && current.description === seen.description;
  const seen = scheduler.getJob(job.id);
  const outcomes = await Promise.allSettled([
    scheduler.updateJob(job.id, { name: "first" }, { precondition: sameAs(seen) }),
    scheduler.updateJob(job.id, { description: "second" }, { precondition: sameAs(seen) }),
    scheduler.deleteJob(job.id, { precondition: sameAs(seen) }),
  ]);
  t.same(outcomes.map((o) => o.status), ["fulfilled", "rejected", "rejected"]);
  t.equal(((outcomes[1] as PromiseRejectedResult).reason as ShoalError).code, "PreconditionFailed");
  t.match(scheduler.getJob(job.id), { name: "first", description: null }, "the first change stands, the others changed nothing");
  await scheduler.stop();
});
