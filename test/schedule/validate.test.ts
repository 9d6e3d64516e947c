import t, { type Test } from "tap";
import { ShoalError } from "../../src/errors.js";
import { validateSchedule } from "../../src/schedule/validate.js";

const now = new Date("2026-06-01T00:00:00Z");

/** Validates `input`, expecting a ValidationError; returns its detail paths. */
function problemPaths(t: Test, input: unknown): string[] {
  try {
    validateSchedule(input, { now });
  } catch (error) {
    t.type(error, ShoalError);
    t.equal((error as ShoalError).code, "ValidationError");
    return (error as ShoalError).details.map((d) => d.path);
  }
  t.fail("expected a ValidationError");
  return [];
}

t.test("valid schedules of every kind come back normalised", async (t) => {
  t.same(validateSchedule({ type: "Manual" }), { type: "Manual" });
  t.same(validateSchedule({ type: "Cron", cron: " 0 6 * * 1-5 ", timeZone: "UTC" }), {
    type: "Cron",
    cron: "0 6 * * 1-5",
    timeZone: "UTC",
  });
  t.same(validateSchedule({ type: "Once", time: "09:00", date: "2026-12-01" }, { now }), {
    type: "Once",
    time: "09:00",
    date: "2026-12-01",
  });
  t.same(
    validateSchedule({
      type: "Continuous",
      time: "22:00:00",
      period: { daysOfWeek: ["Friday", "Monday", "Friday"], daysOfMonth: ["L", 15, 1], startDay: "2026-02-10" },
    }),
    {
      type: "Continuous",
      time: "22:00:00",
      period: { startDay: "2026-02-10", daysOfWeek: ["Monday", "Friday"], daysOfMonth: [1, 15, "L"] },
    },
  );
});

t.test("an empty period or empty lists mean every day and are dropped", async (t) => {
  t.same(validateSchedule({ type: "Continuous", time: "22:00", period: { daysOfWeek: [] } }), {
    type: "Continuous",
    time: "22:00",
  });
  t.same(validateSchedule({ type: "Continuous", time: "22:00", period: null }), { type: "Continuous", time: "22:00" });
});

t.test("a bad time of day is a format problem at /time", async (t) => {
  for (const time of ["25:00", "7:5", "12:60", "12:00:61", "noon", ""]) {
    t.same(problemPaths(t, { type: "Once", time }), ["/time"], time);
  }
  t.same(problemPaths(t, { type: "Once", time: 1200 }), ["/time"]);
  t.same(problemPaths(t, { type: "Continuous" }), ["/time"]);
});

t.test("an unknown weekday is pointed at by its index", async (t) => {
  t.same(problemPaths(t, { type: "Continuous", time: "10:00", period: { daysOfWeek: ["Monday", "Funday"] } }), [
    "/period/daysOfWeek/1",
  ]);
});

t.test("days of the month outside 1-31 are out of range, each at its index", async (t) => {
  t.same(problemPaths(t, { type: "Continuous", time: "10:00", period: { daysOfMonth: [0, 15, 32] } }), [
    "/period/daysOfMonth/0",
    "/period/daysOfMonth/2",
  ]);
  t.same(problemPaths(t, { type: "Continuous", time: "10:00", period: { daysOfMonth: [1, 2, 2.5] } }), [
    "/period/daysOfMonth/2",
  ]);
  t.same(problemPaths(t, { type: "Continuous", time: "10:00", period: { daysOfMonth: "1,15" } }), [
    "/period/daysOfMonth",
  ]);
});

t.test("startDay after endDay is refused", async (t) => {
  t.same(
    problemPaths(t, { type: "Continuous", time: "10:00", period: { startDay: "2026-05-01", endDay: "2026-04-01" } }),
    ["/period/endDay"],
  );
});

t.test("impossible calendar dates are refused wherever they appear", async (t) => {
  t.same(problemPaths(t, { type: "Once", time: "10:00", date: "2026-02-30" }), ["/date"]);
  t.same(problemPaths(t, { type: "Once", time: "10:00", date: "2026-2-3" }), ["/date"]);
  t.same(problemPaths(t, { type: "Continuous", time: "10:00", period: { startDay: "2027-02-29" } }), [
    "/period/startDay",
  ]);
});

t.test("a Once date already past is refused, never silently moved", async (t) => {
  t.same(problemPaths(t, { type: "Once", time: "10:00", date: "2026-05-31" }), ["/date"]);
  t.same(problemPaths(t, { type: "Once", time: "23:59", date: "2026-05-31", timeZone: "UTC" }), ["/date"]);
  // Still ahead in Taipei (UTC+8) at 2026-06-01T00:00Z? 2026-06-01 07:59 local is before 08:00.
  t.same(validateSchedule({ type: "Once", time: "09:00", date: "2026-06-01", timeZone: "Asia/Taipei" }, { now }), {
    type: "Once",
    time: "09:00",
    date: "2026-06-01",
    timeZone: "Asia/Taipei",
  });
});

t.test("an unknown zone is refused at /timeZone", async (t) => {
  t.same(problemPaths(t, { type: "Continuous", time: "10:00", timeZone: "Mars/Olympus" }), ["/timeZone"]);
});

t.test("a bad cron pattern is refused at /cron", async (t) => {
  t.same(problemPaths(t, { type: "Cron", cron: "61 * * * *" }), ["/cron"]);
  t.same(problemPaths(t, { type: "Cron", cron: "* * *" }), ["/cron"]);
  t.same(problemPaths(t, { type: "Cron" }), ["/cron"]);
});

t.test("a missing or unknown type is refused at /type", async (t) => {
  t.same(problemPaths(t, {}), ["/type"]);
  t.same(problemPaths(t, { type: "Weekly" }), ["/type"]);
  t.same(problemPaths(t, { type: 3 }), ["/type"]);
});

t.test("a schedule that is not an object is refused as a whole", async (t) => {
  for (const input of [null, "Once", 3, [], undefined]) t.same(problemPaths(t, input), [""]);
});

t.test("unknown properties are refused, at every level", async (t) => {
  t.same(problemPaths(t, { type: "Manual", time: "10:00" }), ["/time"]);
  t.same(problemPaths(t, { type: "Continuous", time: "10:00", period: { everyDay: true } }), ["/period/everyDay"]);
  t.same(problemPaths(t, JSON.parse('{"type":"Cron","cron":"* * * * *","__proto__":{"x":1}}')), ["/__proto__"]);
});

t.test("every problem is reported at once, each with its kind", async (t) => {
  try {
    validateSchedule(
      {
        type: "Continuous",
        time: "25:00",
        timeZone: "Mars/Olympus",
        period: { daysOfWeek: ["Funday"], daysOfMonth: [32] },
      },
      { now },
    );
    t.fail("expected a ValidationError");
  } catch (error) {
    const e = error as ShoalError;
    t.same(
      e.details.map((d) => [d.path, d.kind]),
      [
        ["/timeZone", "notInList"],
        ["/time", "format"],
        ["/period/daysOfWeek/0", "notInList"],
        ["/period/daysOfMonth/0", "outOfRange"],
      ],
    );
  }
});
