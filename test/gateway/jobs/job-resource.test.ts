import t from "tap";
import type { Job, Policy } from "../../../src/jobs/types.js";
import { jobEtag, jobResource, jobStatus, policyToWire, scheduleToWire } from "../../../gateway/jobs/job-resource.js";
import { jobSpecFromWire } from "../../../gateway/jobs/spec-from-wire.js";
import type { JobCreateBody } from "../../../gateway/jobs/wire-types.js";
import { jobFixture } from "../helpers/fixtures.js";

/** A Job as the scheduler would hold it after creating the spec. */
function jobFrom(body: JobCreateBody, extra: Partial<Job> = {}): Job {
  const spec = jobSpecFromWire(body);
  return {
    id: "Job-01J0000000",
    name: spec.name,
    description: spec.description ?? null,
    enabled: spec.enabled ?? true,
    pausedReason: null,
    cancelled: false,
    schedule: spec.schedule,
    steps: spec.steps.map((s) => ({ name: s.name ?? s.action, action: s.action, targets: s.targets, payload: s.payload, mode: s.mode ?? "Sequential", continueOnFailure: s.continueOnFailure ?? false })),
    // The wire never sends a null policy field on create, so the spec is a plain partial policy here.
    policy: { overlap: "Skip", misfire: "RunOnce", ...(spec.policy as Partial<Policy> | undefined) },
    createdAt: "2026-02-01T10:00:00.000Z",
    updatedAt: "2026-02-01T10:00:00.000Z",
    lastRunAt: null,
    nextRunAt: "2026-03-01T03:30:00.000Z",
    runCount: 0,
    metadata: spec.metadata ?? {},
    ...extra,
  };
}

const monthly = jobFixture("continuous-twice-monthly.json") as unknown as JobCreateBody;
const once = jobFixture("once-fan-profile.json") as unknown as JobCreateBody;

t.test("the Job resource has MultiFish's fields where its clients read them, and Shoal's beside them", async (t) => {
  const r = jobResource(jobFrom(monthly), { running: false, scheduleDescription: "At 03:30 on day 1 and 15 of each month" });
  t.match(r, {
    "@odata.type": "#Job.v1_0_0.Job",
    "@odata.id": "/MultiFish/v1/JobService/Jobs/Job-01J0000000",
    Id: "Job-01J0000000",
    Name: "Balanced profile for the fortnightly backup",
    Enabled: true,
    Status: "Scheduled",
    LastRun: null,
    Machines: ["rack7-node01", "rack7-node03"],
    Action: "PatchProfile",
    Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }],
    Schedule: {
      Type: "Continuous",
      Time: "03:30:00",
      Period: { StartDay: "2026-03-01", EndDay: "2026-11-30", DaysOfWeek: [], DaysOfMonth: "1,15" },
    },
    ScheduleDescription: "At 03:30 on day 1 and 15 of each month",
    CreatedTime: "2026-02-01T10:00:00Z",
    LastRunTime: null,
    NextRunTime: "2026-03-01T03:30:00Z",
    ExecutionCount: 0,
    Executions: { "@odata.id": "/MultiFish/v1/JobService/Jobs/Job-01J0000000/Executions" },
    Actions: {
      "#Job.Trigger": { target: "/MultiFish/v1/JobService/Jobs/Job-01J0000000/Actions/Trigger" },
      "#Job.Cancel": { target: "/MultiFish/v1/JobService/Jobs/Job-01J0000000/Actions/Cancel" },
    },
  });
  t.same((r["Steps"] as unknown[]).length, 1);
  t.equal(r["@odata.etag"], jobEtag(jobFrom(monthly)));
});

t.test("a job of several steps shows Steps only, no top-level Action", async (t) => {
  const job = jobFrom({ Steps: [{ Action: "A", Machines: ["m"] }, { Action: "B", Machines: ["m"] }], Schedule: { Type: "Manual" } });
  const r = jobResource(job, { running: false, scheduleDescription: "Only when triggered" });
  t.notOk("Action" in r);
  t.same((r["Steps"] as { Action: string }[]).map((s) => s.Action), ["A", "B"]);
});

t.test("Status describes the job: Cancelled, Running, Paused, then Scheduled, Manual or Expired; the last run's outcome is not its Status", async (t) => {
  const job = jobFrom(monthly);
  const ok = { state: "Completed" as const, health: "OK" as const };
  const bad = { state: "Failed" as const, health: "Critical" as const };
  t.equal(jobStatus(job, { running: false }), "Scheduled");
  t.equal(jobStatus(job, { running: true, lastRun: ok }), "Running");
  t.equal(jobStatus({ ...job, cancelled: true }, { running: true }), "Cancelled");
  t.equal(jobStatus({ ...job, enabled: false }, { running: false, lastRun: ok }), "Paused");
  t.equal(jobStatus(job, { running: false, lastRun: ok }), "Scheduled", "a recurring job that ran well is still just scheduled");
  t.equal(jobStatus(job, { running: false, lastRun: bad }), "Scheduled", "and so is one whose last run failed");
  t.equal(jobStatus({ ...job, nextRunAt: null }, { running: false, lastRun: ok }), "Expired", "Continuous past its EndDay");
  const manual = jobFrom({ Action: "A", Machines: ["m"], Schedule: { Type: "Manual" } }, { nextRunAt: null });
  t.equal(jobStatus(manual, { running: false }), "Manual", "a Manual job never expires");
  t.equal(jobStatus(manual, { running: false, lastRun: bad }), "Manual");
});

t.test("a Once job keeps MultiFish's lifecycle: Pending, then how its one run went", async (t) => {
  const ok = { state: "Completed" as const, health: "OK" as const };
  t.equal(jobStatus(jobFrom(once), { running: false }), "Pending");
  const ran = jobFrom(once, { nextRunAt: null, runCount: 1 });
  t.equal(jobStatus(ran, { running: false, lastRun: ok }), "Completed");
  t.equal(jobStatus(ran, { running: false, lastRun: { state: "Completed", health: "Warning" } }), "Completed", "the run finished; some machines failed");
  t.equal(jobStatus(ran, { running: false, lastRun: { state: "Completed", health: "Critical" } }), "Failed", "every machine failed");
  t.equal(jobStatus(ran, { running: false, lastRun: { state: "Interrupted", health: null } }), "Failed");
  t.equal(jobStatus(ran, { running: false }), "Expired", "a Once job whose time passed unrun");
});

t.test("LastRun: the last run's id, state, health and end, null before any", async (t) => {
  const job = jobFrom(monthly);
  t.equal(jobResource(job, { running: false, scheduleDescription: "" })["LastRun"], null);
  const run = { id: "Exec-1", state: "Completed" as const, health: "Warning" as const, endedAt: "2026-03-01T03:30:02.000Z" };
  t.same(jobResource(job, { running: false, lastRun: run, scheduleDescription: "" })["LastRun"], {
    Id: "Exec-1",
    State: "Completed",
    Health: "Warning",
    EndTime: "2026-03-01T03:30:02Z",
  });
});

t.test("a paused or cancelled job shows no NextRunTime", async (t) => {
  t.equal(jobResource(jobFrom(monthly, { enabled: false }), { running: false, scheduleDescription: "" })["NextRunTime"], null);
  t.equal(jobResource(jobFrom(monthly, { cancelled: true }), { running: false, scheduleDescription: "" })["NextRunTime"], null);
});

t.test("schedules and policies render back in wire form", async (t) => {
  t.same(scheduleToWire({ type: "Once", time: "09:00", date: "2026-12-01", timeZone: "UTC" }), { Type: "Once", Time: "09:00", Date: "2026-12-01", TimeZone: "UTC" });
  t.same(scheduleToWire({ type: "Cron", cron: "0 6 * * *" }), { Type: "Cron", Cron: "0 6 * * *" });
  t.same(scheduleToWire({ type: "Manual" }), { Type: "Manual" });
  t.same(scheduleToWire({ type: "Continuous", time: "01:00", period: { daysOfMonth: [1, "L"] } }), {
    Type: "Continuous",
    Time: "01:00",
    Period: { DaysOfWeek: [], DaysOfMonth: [1, "L"] },
  });
  t.same(policyToWire({ overlap: "Queue", misfire: "Skip", taskTimeoutMs: 1500, retry: { maxAttempts: 3, initialDelayMs: 250, factor: 2, maxDelayMs: 60000 } }), {
    Overlap: "Queue",
    Misfire: "Skip",
    TaskTimeoutSeconds: 1.5,
    Retry: { MaxAttempts: 3, InitialDelaySeconds: 0.25, Factor: 2, MaxDelaySeconds: 60 },
  });
});

t.test("the ETag follows the definition, not the runs", async (t) => {
  const job = jobFrom(monthly);
  t.equal(jobEtag(job), jobEtag({ ...job, runCount: 5, lastRunAt: "2026-03-01T03:30:00.000Z" }));
  t.not(jobEtag(job), jobEtag({ ...job, updatedAt: "2026-02-02T00:00:00.000Z" }));
  t.not(jobEtag(job), jobEtag({ ...job, enabled: false }));
  t.not(jobEtag(job), jobEtag({ ...job, name: "renamed in the same millisecond" }));
});
