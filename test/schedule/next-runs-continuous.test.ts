import t from "tap";
import { nextRuns } from "../../src/schedule/next-runs.js";
import type { ContinuousSchedule } from "../../src/schedule/types.js";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (text: string) => new Date(text);

t.test("with no day filter a Continuous schedule runs every day at its time", async (t) => {
  const s: ContinuousSchedule = { type: "Continuous", time: "06:30", timeZone: "UTC" };
  t.same(iso(nextRuns(s, 3, { after: at("2026-05-01T07:00:00Z") })), [
    "2026-05-02T06:30:00.000Z",
    "2026-05-03T06:30:00.000Z",
    "2026-05-04T06:30:00.000Z",
  ]);
});

t.test("runs are strictly after `after`: a run exactly at `after` is not returned", async (t) => {
  const s: ContinuousSchedule = { type: "Continuous", time: "06:30", timeZone: "UTC" };
  t.same(iso(nextRuns(s, 1, { after: at("2026-05-01T06:30:00Z") })), ["2026-05-02T06:30:00.000Z"]);
  t.same(iso(nextRuns(s, 1, { after: at("2026-05-01T06:29:59.999Z") })), ["2026-05-01T06:30:00.000Z"]);
});

t.test("a zone with no daylight saving keeps a fixed offset all year (Asia/Taipei, UTC+8)", async (t) => {
  const s: ContinuousSchedule = { type: "Continuous", time: "22:00", timeZone: "Asia/Taipei" };
  t.same(iso(nextRuns(s, 1, { after: at("2026-01-15T00:00:00Z") })), ["2026-01-15T14:00:00.000Z"]);
  t.same(iso(nextRuns(s, 1, { after: at("2026-07-15T00:00:00Z") })), ["2026-07-15T14:00:00.000Z"]);
});

t.test("the scheduler's default zone applies when the schedule names none", async (t) => {
  const s: ContinuousSchedule = { type: "Continuous", time: "09:00" };
  t.same(iso(nextRuns(s, 1, { after: at("2026-01-15T00:00:00Z"), timeZone: "Asia/Taipei" })), [
    "2026-01-15T01:00:00.000Z",
  ]);
  const own: ContinuousSchedule = { ...s, timeZone: "UTC" };
  t.same(iso(nextRuns(own, 1, { after: at("2026-01-15T00:00:00Z"), timeZone: "Asia/Taipei" })), [
    "2026-01-15T09:00:00.000Z",
  ]);
});

t.test("daylight saving in America/New_York", async (t) => {
  t.test("spring forward: 02:30 does not exist on 2026-03-08 and runs at 03:00 EDT, the end of the gap", async (t) => {
    const s: ContinuousSchedule = { type: "Continuous", time: "02:30", timeZone: "America/New_York" };
    t.same(iso(nextRuns(s, 3, { after: at("2026-03-07T12:00:00Z") })), [
      "2026-03-08T07:00:00.000Z",
      "2026-03-09T06:30:00.000Z",
      "2026-03-10T06:30:00.000Z",
    ]);
  });
  t.test("fall back: 01:30 happens twice on 2026-11-01 and runs once, at the first (EDT)", async (t) => {
    const s: ContinuousSchedule = { type: "Continuous", time: "01:30", timeZone: "America/New_York" };
    t.same(iso(nextRuns(s, 3, { after: at("2026-10-31T12:00:00Z") })), [
      "2026-11-01T05:30:00.000Z",
      "2026-11-02T06:30:00.000Z",
      "2026-11-03T06:30:00.000Z",
    ]);
  });
  t.test("a time away from the change keeps its wall-clock reading across it", async (t) => {
    const s: ContinuousSchedule = { type: "Continuous", time: "22:00", timeZone: "America/New_York" };
    t.same(iso(nextRuns(s, 2, { after: at("2026-03-07T12:00:00Z") })), [
      "2026-03-08T03:00:00.000Z",
      "2026-03-09T02:00:00.000Z",
    ]);
  });
});

t.test("daylight saving in Europe/London", async (t) => {
  t.test("spring forward: 01:30 does not exist on 2026-03-29 and runs at 02:00 BST", async (t) => {
    const s: ContinuousSchedule = { type: "Continuous", time: "01:30", timeZone: "Europe/London" };
    t.same(iso(nextRuns(s, 2, { after: at("2026-03-28T12:00:00Z") })), [
      "2026-03-29T01:00:00.000Z",
      "2026-03-30T00:30:00.000Z",
    ]);
  });
  t.test("fall back: 01:30 happens twice on 2026-10-25 and runs once, at the first (BST)", async (t) => {
    const s: ContinuousSchedule = { type: "Continuous", time: "01:30", timeZone: "Europe/London" };
    t.same(iso(nextRuns(s, 2, { after: at("2026-10-24T12:00:00Z") })), [
      "2026-10-25T00:30:00.000Z",
      "2026-10-26T01:30:00.000Z",
    ]);
  });
  t.test("asking from inside the repeated hour, after the first run, gives the next day", async (t) => {
    const s: ContinuousSchedule = { type: "Continuous", time: "01:30", timeZone: "Europe/London" };
    t.same(iso(nextRuns(s, 1, { after: at("2026-10-25T00:30:00Z") })), ["2026-10-26T01:30:00.000Z"]);
  });
});

t.test("days of the week", async (t) => {
  const s: ContinuousSchedule = {
    type: "Continuous",
    time: "08:00",
    timeZone: "UTC",
    period: { daysOfWeek: ["Monday", "Wednesday", "Friday"] },
  };
  // 2026-06-01 is a Monday.
  t.same(iso(nextRuns(s, 4, { after: at("2026-06-01T09:00:00Z") })), [
    "2026-06-03T08:00:00.000Z",
    "2026-06-05T08:00:00.000Z",
    "2026-06-08T08:00:00.000Z",
    "2026-06-10T08:00:00.000Z",
  ]);
});

t.test("day 31 runs only in months that have one, never moved to the 30th or the 1st", async (t) => {
  const s: ContinuousSchedule = { type: "Continuous", time: "08:00", timeZone: "UTC", period: { daysOfMonth: [31] } };
  t.same(iso(nextRuns(s, 7, { after: at("2026-01-01T00:00:00Z") })), [
    "2026-01-31T08:00:00.000Z",
    "2026-03-31T08:00:00.000Z",
    "2026-05-31T08:00:00.000Z",
    "2026-07-31T08:00:00.000Z",
    "2026-08-31T08:00:00.000Z",
    "2026-10-31T08:00:00.000Z",
    "2026-12-31T08:00:00.000Z",
  ]);
});

t.test("day 30 is skipped in February, leap year or not", async (t) => {
  const s: ContinuousSchedule = { type: "Continuous", time: "08:00", timeZone: "UTC", period: { daysOfMonth: [30] } };
  t.same(iso(nextRuns(s, 2, { after: at("2028-01-31T00:00:00Z") })), [
    "2028-03-30T08:00:00.000Z",
    "2028-04-30T08:00:00.000Z",
  ]);
});

t.test('"L" is the last day of each month, 29 February in a leap year', async (t) => {
  const s: ContinuousSchedule = { type: "Continuous", time: "08:00", timeZone: "UTC", period: { daysOfMonth: ["L"] } };
  const runs = iso(nextRuns(s, 12, { after: at("2028-01-01T00:00:00Z") }));
  t.same(runs.slice(0, 4), [
    "2028-01-31T08:00:00.000Z",
    "2028-02-29T08:00:00.000Z",
    "2028-03-31T08:00:00.000Z",
    "2028-04-30T08:00:00.000Z",
  ]);
  t.equal(runs.length, 12);
  t.equal(runs[11], "2028-12-31T08:00:00.000Z");
  t.same(iso(nextRuns(s, 1, { after: at("2027-02-01T00:00:00Z") })), ["2027-02-28T08:00:00.000Z"]);
});

t.test("day 1 and the last day together", async (t) => {
  const s: ContinuousSchedule = {
    type: "Continuous",
    time: "08:00",
    timeZone: "UTC",
    period: { daysOfMonth: [1, "L"] },
  };
  t.same(iso(nextRuns(s, 3, { after: at("2026-02-02T00:00:00Z") })), [
    "2026-02-28T08:00:00.000Z",
    "2026-03-01T08:00:00.000Z",
    "2026-03-31T08:00:00.000Z",
  ]);
});

t.test("weekdays and days of the month together mean a day matching either", async (t) => {
  const s: ContinuousSchedule = {
    type: "Continuous",
    time: "08:00",
    timeZone: "UTC",
    period: { daysOfWeek: ["Sunday"], daysOfMonth: [15] },
  };
  // June 2026: Sundays are the 7th, 14th, 21st; the 15th is a Monday.
  t.same(iso(nextRuns(s, 4, { after: at("2026-06-06T00:00:00Z") })), [
    "2026-06-07T08:00:00.000Z",
    "2026-06-14T08:00:00.000Z",
    "2026-06-15T08:00:00.000Z",
    "2026-06-21T08:00:00.000Z",
  ]);
});

t.test("startDay and endDay are inclusive, in the schedule's zone", async (t) => {
  const s: ContinuousSchedule = {
    type: "Continuous",
    time: "22:00",
    timeZone: "Asia/Taipei",
    period: { startDay: "2026-02-10", endDay: "2026-02-12" },
  };
  t.test("from before the range, the first run is on startDay", async (t) => {
    t.same(iso(nextRuns(s, 5, { after: at("2026-01-01T00:00:00Z") })), [
      "2026-02-10T14:00:00.000Z",
      "2026-02-11T14:00:00.000Z",
      "2026-02-12T14:00:00.000Z",
    ]);
  });
  t.test("from inside the range, only what remains, endDay included", async (t) => {
    t.same(iso(nextRuns(s, 5, { after: at("2026-02-11T15:00:00Z") })), ["2026-02-12T14:00:00.000Z"]);
  });
  t.test("after the range nothing remains", async (t) => {
    t.same(nextRuns(s, 5, { after: at("2026-02-12T14:00:00Z") }), []);
  });
});

t.test("a filter no day in the range can match ends the walk with no runs", async (t) => {
  const s: ContinuousSchedule = {
    type: "Continuous",
    time: "08:00",
    timeZone: "UTC",
    period: { daysOfMonth: [31], startDay: "2026-02-01", endDay: "2026-02-28" },
  };
  t.same(nextRuns(s, 3, { after: at("2026-01-01T00:00:00Z") }), []);
});

t.test("a count below one asks for nothing", async (t) => {
  const s: ContinuousSchedule = { type: "Continuous", time: "08:00", timeZone: "UTC" };
  t.same(nextRuns(s, 0, { after: at("2026-01-01T00:00:00Z") }), []);
});
