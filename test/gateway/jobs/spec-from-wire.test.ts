import t from "tap";
import type { Job } from "../../../src/jobs/types.js";
import {
  bodyShape,
  jobPatchFromWire,
  jobSpecFromWire,
  patchConflicts,
  policyFromWire,
  RETRY_DEFAULTS,
  scheduleFromWire,
} from "../../../gateway/jobs/spec-from-wire.js";
import type { JobCreateBody } from "../../../gateway/jobs/wire-types.js";
import { jobFixture } from "../helpers/fixtures.js";

const fixture = (name: string): JobCreateBody => jobFixture(name) as unknown as JobCreateBody;

t.test("a MultiFish body is one step: its machines are the targets and its Payload array the payload", async (t) => {
  const body = fixture("once-fan-profile-two-managers.json");
  const spec = jobSpecFromWire(body);
  t.equal(spec.name, "Balanced profile on both controllers");
  t.same(spec.steps, [
    {
      action: "PatchProfile",
      targets: ["rack7-node01", "rack7-node02"],
      payload: [
        { ManagerID: "bmc", Payload: { Profile: "Balanced" } },
        { ManagerID: "bmc_secondary", Payload: { Profile: "Performance" } },
      ],
    },
  ]);
  t.same(spec.schedule, { type: "Once", time: "13:15:00" }, "Period: null is simply absent");
  t.notOk("enabled" in spec, "Enabled is left to the core's default");
});

t.test("Continuous schedules: empty DaysOfWeek with no DaysOfMonth is every day; '1,15' is [1, 15]", async (t) => {
  t.same(scheduleFromWire(fixture("continuous-nightly.json").Schedule), {
    type: "Continuous",
    time: "23:45:00",
    period: { startDay: "2026-03-01", endDay: "2026-11-30" },
  });
  t.same(scheduleFromWire(fixture("continuous-workdays.json").Schedule), {
    type: "Continuous",
    time: "07:00:00",
    period: { startDay: "2026-03-01", endDay: "2026-11-30", daysOfWeek: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] },
  });
  t.same(scheduleFromWire(fixture("continuous-twice-monthly.json").Schedule), {
    type: "Continuous",
    time: "03:30:00",
    period: { startDay: "2026-03-01", endDay: "2026-11-30", daysOfMonth: [1, 15] },
  });
  t.same(scheduleFromWire({ Type: "Continuous", Time: "08:00", Period: { DaysOfMonth: " 1, L ,31" } }), {
    type: "Continuous",
    time: "08:00",
    period: { daysOfMonth: [1, "L", 31] },
  });
  t.same(scheduleFromWire({ Type: "Continuous", Time: "08:00", Period: { DaysOfMonth: [5, "L", "20"] } }), {
    type: "Continuous",
    time: "08:00",
    period: { daysOfMonth: [5, "L", 20] },
  });
  t.same(scheduleFromWire({ Type: "Continuous", Time: "08:00", Period: { DaysOfMonth: "", DaysOfWeek: null } }), {
    type: "Continuous",
    time: "08:00",
  });
});

t.test("Once with a date and zone, Cron and Manual map field by field", async (t) => {
  t.same(scheduleFromWire({ Type: "Once", Time: "09:00", Date: "2026-12-01", TimeZone: "Asia/Taipei" }), {
    type: "Once",
    time: "09:00",
    date: "2026-12-01",
    timeZone: "Asia/Taipei",
  });
  t.same(scheduleFromWire({ Type: "Cron", Cron: "0 6 * * 1-5", TimeZone: "UTC" }), { type: "Cron", cron: "0 6 * * 1-5", timeZone: "UTC" });
  t.same(scheduleFromWire({ Type: "Manual" }), { type: "Manual" });
});

t.test("Policy seconds become milliseconds; a partial Retry gets the documented defaults", async (t) => {
  t.same(
    policyFromWire({ Overlap: "Queue", Misfire: "Skip", MaxConcurrency: 8, TaskTimeoutSeconds: 1.5, ExecutionTimeoutSeconds: 600, Retry: { MaxAttempts: 4, InitialDelaySeconds: 0.25 } }),
    {
      overlap: "Queue",
      misfire: "Skip",
      maxConcurrency: 8,
      taskTimeoutMs: 1500,
      executionTimeoutMs: 600_000,
      retry: { maxAttempts: 4, initialDelayMs: 250, factor: RETRY_DEFAULTS.factor, maxDelayMs: RETRY_DEFAULTS.maxDelayMs },
    },
  );
  t.same(policyFromWire({}), {});
});

t.test("Steps map one to one, with Shoal's optional fields", async (t) => {
  const spec = jobSpecFromWire({
    Name: "two",
    Description: "d",
    Enabled: false,
    Steps: [
      { Name: "first", Action: "PatchProfile", Machines: ["a"], Payload: [{ ManagerID: "bmc" }] },
      { Action: "PatchManager", Machines: ["a", "b"], Mode: "ParallelWithPrevious", ContinueOnFailure: true, Payload: null },
    ],
    Schedule: { Type: "Manual" },
  });
  t.same(spec.steps, [
    { action: "PatchProfile", targets: ["a"], name: "first", payload: [{ ManagerID: "bmc" }] },
    { action: "PatchManager", targets: ["a", "b"], mode: "ParallelWithPrevious", continueOnFailure: true },
  ]);
  t.equal(spec.enabled, false);
  t.equal(spec.description, "d");
});

t.test("a body without a Name gets one from its action", async (t) => {
  t.equal(jobSpecFromWire({ Action: "PatchProfile", Machines: ["a"], Schedule: { Type: "Manual" } }).name, "PatchProfile job");
});

t.test("the body's shape is remembered for error pointers and for rendering DaysOfMonth back as sent", async (t) => {
  const monthly = fixture("continuous-twice-monthly.json");
  t.same(bodyShape(monthly), { steps: "single", daysOfMonthAsString: true });
  t.same(jobSpecFromWire(monthly).metadata, { wire: { daysOfMonthAsString: true } });
  t.same(bodyShape({ Steps: [], Schedule: { Type: "Manual" } }), { steps: "steps", daysOfMonthAsString: false });
});

const job: Job = {
  id: "Job-1",
  name: "n",
  description: null,
  enabled: true,
  pausedReason: null,
  cancelled: false,
  schedule: { type: "Manual" },
  steps: [{ name: "PatchProfile", action: "PatchProfile", targets: ["a", "b"], payload: [{ ManagerID: "bmc" }], mode: "Sequential", continueOnFailure: false }],
  policy: { overlap: "Skip", misfire: "RunOnce", maxConcurrency: 4 },
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  lastRunAt: null,
  nextRunAt: null,
  runCount: 0,
};

t.test("a PATCH of Machines or Payload rewrites the single step and keeps the rest", async (t) => {
  const patch = jobPatchFromWire({ Machines: ["c"] }, job);
  t.same(patch.steps, [{ ...job.steps[0], targets: ["c"] }]);
  const cleared = jobPatchFromWire({ Payload: null }, job);
  t.notOk(cleared.steps?.[0] && "payload" in cleared.steps[0], "Payload: null removes the payload");
  t.same(jobPatchFromWire({ Name: "m", Enabled: false }, job), { name: "m", enabled: false });
});

t.test("a PATCH of Policy changes the fields given and keeps the others", async (t) => {
  t.same(jobPatchFromWire({ Policy: { Overlap: "Allow" } }, job).policy, { overlap: "Allow", misfire: "RunOnce", maxConcurrency: 4 });
});

t.test("a PATCH of Schedule replaces it and records how DaysOfMonth was written", async (t) => {
  const patch = jobPatchFromWire({ Schedule: { Type: "Continuous", Time: "01:00", Period: { DaysOfMonth: "L" } } }, job);
  t.same(patch.schedule, { type: "Continuous", time: "01:00", period: { daysOfMonth: ["L"] } });
  t.same(patch.metadata, { wire: { daysOfMonthAsString: true } });
});

t.test("Machines or Payload on a job of several steps is a conflict with Steps", async (t) => {
  const multi: Job = { ...job, steps: [job.steps[0]!, { ...job.steps[0]!, name: "second" }] };
  t.same(patchConflicts({ Machines: ["x"], Name: "n" }, multi), [
    { key: "PropertyValueConflict", args: ["Machines", "Steps"], relatedProperties: ["#/Machines", "#/Steps"] },
  ]);
  t.same(patchConflicts({ Machines: ["x"] }, job), [], "fine on a single-step job");
});
