import t from "tap";
import { MAX_TIMER_DELAY_MS } from "../../src/scheduler/clock.js";
import { DAY, HOUR, T0, harness, iso } from "./helpers.js";

const noopStep = (targets = ["m1"]) => [{ action: "noop", targets }];

async function withNoop(options: Parameters<typeof harness>[0] = {}) {
  const h = await harness(options);
  const starts: { target: string; at: number; trigger: string }[] = [];
  h.scheduler.defineAction("noop", {
    async run(ctx) {
      starts.push({ target: ctx.target, at: h.clock.now(), trigger: ctx.execution.trigger });
    },
  });
  return { ...h, starts };
}

t.test("a job due at 12:00:00.000 starts at that millisecond, not a tick later", async (t) => {
  const { clock, scheduler, starts } = await withNoop();
  const noon = Date.UTC(2026, 0, 1, 12, 0, 0);
  const job = await scheduler.createJob({ name: "noon", schedule: { type: "Cron", cron: "0 12 * * *" }, steps: noopStep() });
  t.equal(job.nextRunAt, iso(noon));
  await clock.advanceTo(noon - 1);
  t.same(starts, [], "nothing before the instant");
  await clock.advance(1);
  t.same(starts, [{ target: "m1", at: noon, trigger: "Schedule" }]);
  t.equal(scheduler.getJob(job.id).nextRunAt, iso(noon + DAY));
  t.equal(clock.pendingTimers, 1, "one timer armed for the next run, no ticker");
});

t.test("one armed timer serves many jobs", async (t) => {
  const { clock, scheduler, starts } = await withNoop();
  for (let i = 0; i < 200; i++) {
    await scheduler.createJob({ name: `j${i}`, schedule: { type: "Cron", cron: `${i % 60} ${(i % 23) + 1} * * *` }, steps: noopStep([`m${i}`]) });
  }
  t.equal(clock.pendingTimers, 1);
  await clock.advance(DAY);
  t.equal(starts.length, 200);
  t.ok(starts.every((s) => (s.at - T0) % 60_000 === 0), "each at its exact minute");
});

t.test("a run more than 2^31-1 ms away happens on time, not early", async (t) => {
  const { clock, scheduler, starts } = await withNoop();
  const due = Date.UTC(2026, 3, 1, 8, 0, 0);
  t.ok(due - T0 > MAX_TIMER_DELAY_MS);
  await scheduler.createJob({ name: "april", schedule: { type: "Once", date: "2026-04-01", time: "08:00", timeZone: "UTC" }, steps: noopStep() });
  await clock.advanceTo(due - 1);
  t.same(starts, []);
  await clock.advance(1);
  t.same(starts.map((s) => s.at), [due]);
});

t.test("after a forward clock jump, runs that fell due run once on the next wake", async (t) => {
  const { clock, scheduler, starts } = await withNoop();
  const job = await scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, steps: noopStep() });
  clock.set(T0 + 5 * HOUR + 30 * 60_000);
  await clock.advance(HOUR);
  t.equal(starts.length, 1, "one run, not one per missed hour");
  t.equal(scheduler.getJob(job.id).nextRunAt, iso(T0 + 7 * HOUR), "next run re-computed from the new time");
  await clock.advance(30 * 60_000);
  t.same(starts.map((s) => s.at), [T0 + 6 * HOUR + 30 * 60_000, T0 + 7 * HOUR]);
});

t.test("after a backward clock jump, nothing runs twice", async (t) => {
  const { clock, scheduler, starts } = await withNoop();
  await scheduler.createJob({ name: "hourly", schedule: { type: "Cron", cron: "0 * * * *" }, steps: noopStep() });
  await clock.advance(HOUR);
  t.equal(starts.length, 1);
  clock.set(T0 + 30 * 60_000);
  await clock.advance(HOUR);
  t.equal(starts.length, 1, "01:00 is not run again when the clock reads 01:30 a second time");
  await clock.advance(30 * 60_000);
  t.same(starts.map((s) => s.at), [T0 + HOUR, T0 + 2 * HOUR]);
});

t.test("a Once job has no next run after it ran", async (t) => {
  const { clock, scheduler, starts } = await withNoop();
  const job = await scheduler.createJob({ name: "once", schedule: { type: "Once", time: "06:00" }, steps: noopStep() });
  t.equal(job.nextRunAt, iso(T0 + 6 * HOUR));
  await clock.advance(3 * DAY);
  t.equal(starts.length, 1);
  const after = scheduler.getJob(job.id);
  t.equal(after.nextRunAt, null);
  t.equal(after.runCount, 1);
  t.equal(after.lastRunAt, iso(T0 + 6 * HOUR));
});

t.test("a Continuous job has no next run after its endDay", async (t) => {
  const { clock, scheduler, starts } = await withNoop();
  const job = await scheduler.createJob({
    name: "daily",
    schedule: { type: "Continuous", time: "06:00", period: { endDay: "2026-01-02" } },
    steps: noopStep(),
  });
  await clock.advance(5 * DAY);
  t.equal(starts.length, 2);
  t.equal(scheduler.getJob(job.id).nextRunAt, null);
});

t.test("a disabled job never fires on time but can be triggered", async (t) => {
  const { clock, scheduler, starts } = await withNoop();
  const job = await scheduler.createJob({ name: "off", enabled: false, schedule: { type: "Cron", cron: "0 * * * *" }, steps: noopStep() });
  t.equal(job.enabled, false);
  await clock.advance(5 * HOUR);
  t.same(starts, []);
  const execution = await scheduler.trigger(job.id, { initiatedBy: "alice" });
  t.equal(execution.trigger, "Manual");
  t.equal(execution.initiatedBy, "alice");
  const final = await scheduler.waitForExecution(execution.id);
  t.equal(final.state, "Completed");
  t.equal(starts.length, 1);
});

t.test("jobs are created enabled unless told otherwise", async (t) => {
  const { scheduler } = await withNoop();
  const job = await scheduler.createJob({ name: "on", schedule: { type: "Manual" }, steps: noopStep() });
  t.equal(job.enabled, true);
  t.equal(job.nextRunAt, null, "a Manual job never has a next run");
});

t.test("lastRunAt and runCount follow executions; the job's time zone default is the scheduler's", async (t) => {
  const { clock, scheduler } = await withNoop({ timeZone: "Asia/Taipei" });
  const job = await scheduler.createJob({ name: "tpe", schedule: { type: "Continuous", time: "08:00" }, steps: noopStep() });
  t.equal(job.nextRunAt, iso(T0 + DAY), "08:00 in Taipei is 00:00 UTC: now, so the next is tomorrow's");
  await clock.advance(2 * DAY);
  const after = scheduler.getJob(job.id);
  t.equal(after.runCount, 2);
  t.equal(after.lastRunAt, iso(T0 + 2 * DAY));
});
