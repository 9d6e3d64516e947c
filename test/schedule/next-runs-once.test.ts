import t from "tap";
import { nextRun, nextRuns } from "../../src/schedule/next-runs.js";
import type { OnceSchedule } from "../../src/schedule/types.js";

const at = (text: string) => new Date(text);

t.test("Once without a date runs at the next occurrence of its time: today while still ahead", async (t) => {
  const s: OnceSchedule = { type: "Once", time: "10:00", timeZone: "UTC" };
  t.equal(nextRun(s, { after: at("2026-06-05T09:00:00Z") })?.toISOString(), "2026-06-05T10:00:00.000Z");
});

t.test("Once without a date whose time has passed today runs tomorrow", async (t) => {
  const s: OnceSchedule = { type: "Once", time: "10:00", timeZone: "UTC" };
  t.equal(nextRun(s, { after: at("2026-06-05T10:00:00Z") })?.toISOString(), "2026-06-06T10:00:00.000Z");
});

t.test("Once yields a single run however many are asked for", async (t) => {
  const s: OnceSchedule = { type: "Once", time: "10:00", timeZone: "UTC" };
  t.equal(nextRuns(s, 5, { after: at("2026-06-05T09:00:00Z") }).length, 1);
});

t.test("Once with a date runs then, in its zone, and has nothing left after it", async (t) => {
  const s: OnceSchedule = { type: "Once", time: "09:00", date: "2026-12-01", timeZone: "Asia/Taipei" };
  t.equal(nextRun(s, { after: at("2026-06-05T00:00:00Z") })?.toISOString(), "2026-12-01T01:00:00.000Z");
  t.same(nextRuns(s, 3, { after: at("2026-12-01T01:00:00Z") }), []);
});

t.test("Once on a time the spring-forward gap swallows runs at the end of the gap", async (t) => {
  const s: OnceSchedule = { type: "Once", time: "02:15", date: "2026-03-08", timeZone: "America/New_York" };
  t.equal(nextRun(s, { after: at("2026-01-01T00:00:00Z") })?.toISOString(), "2026-03-08T07:00:00.000Z");
});

t.test("Manual schedules never come due", async (t) => {
  t.same(nextRuns({ type: "Manual" }, 3, { after: at("2026-01-01T00:00:00Z") }), []);
});
