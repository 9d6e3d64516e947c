import t from "tap";
import type { TaskRetryingEvent } from "../../src/scheduler/events.js";
import { harness, transientError } from "./helpers.js";

t.test("taskRetrying tells each transient failure that will be retried: target, attempt, error and the wait", async (t) => {
  const { clock, scheduler } = await harness();
  scheduler.defineAction("flaky", {
    async run(ctx) {
      if (ctx.attempt < 3) throw transientError();
      return { message: "ok" };
    },
  });
  const job = await scheduler.createJob({
    name: "j",
    schedule: { type: "Manual" },
    policy: { retry: { maxAttempts: 3, initialDelayMs: 100, factor: 2, maxDelayMs: 1_000 } },
    steps: [{ name: "fans", action: "flaky", targets: ["m1"] }],
  });
  const retries: TaskRetryingEvent[] = [];
  scheduler.on("taskRetrying", (e) => retries.push(e));
  const { id } = await scheduler.trigger(job.id);
  await clock.advance(10_000);
  await scheduler.waitForExecution(id);
  t.match(retries, [
    { jobId: job.id, executionId: id, stepIndex: 0, stepName: "fans", action: "flaky", target: "m1", attempt: 1, delayMs: 100, error: { transient: true } },
    { attempt: 2, delayMs: 200 },
  ]);
  t.equal(retries.length, 2, "the last, successful attempt is not a retry");
});
