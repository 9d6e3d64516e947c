import t from "tap";
import { lastRunOf } from "../../../gateway/jobs/last-run.js";
import { gate, harness } from "../../scheduler/helpers.js";

t.test("LastRun names the newest run that ended, read in place: a run still going is never copied for it", async (t) => {
  const { clock, scheduler } = await harness();
  // The first run ends at once (m1 fails), the second holds every machine until released.
  const hold = gate();
  let runs = 0;
  scheduler.on("executionStarted", () => runs++);
  scheduler.defineAction("held", {
    run: async (ctx) => {
      if (runs > 1) await hold.promise;
      if (ctx.target === "m1") throw new Error("no");
      return "done";
    },
  });
  const targets = Array.from({ length: 50 }, (_, i) => `m${i}`);
  const job = await scheduler.createJob({ name: "j", schedule: { type: "Manual" }, steps: [{ action: "held", targets }] });
  t.equal(lastRunOf(scheduler, job.id), undefined, "nothing ran yet");

  const first = await scheduler.trigger(job.id);
  await clock.advance(1);
  const ended = await scheduler.waitForExecution(first.id);

  await scheduler.trigger(job.id); // the second run is going now
  await clock.advance(1);
  // Copying executions is what listExecutions and getExecution answer with; a GET of the job must need neither.
  let copies = 0;
  const listExecutions = scheduler.listExecutions.bind(scheduler);
  const getExecution = scheduler.getExecution.bind(scheduler);
  scheduler.listExecutions = (q) => (copies++, listExecutions(q));
  scheduler.getExecution = (id) => (copies++, getExecution(id));
  t.same(lastRunOf(scheduler, job.id), { id: first.id, state: "Completed", health: "Warning", endedAt: ended.endedAt }, "the run still going does not count");
  t.equal(copies, 0, "no execution was copied");
  hold.open(undefined);
});
