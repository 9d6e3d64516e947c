import t from "tap";
import { CliError } from "../../cli/exit-codes.js";
import { buildSchedule, parseDaysOfMonth, parseDaysOfWeek, toWireSchedule } from "../../cli/schedule-flags.js";

const NOW = new Date("2026-03-01T00:00:00Z");

function usageLines(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof CliError) {
      if (error.exitCode !== 2) throw new Error(`exit code ${error.exitCode}`);
      return error.lines;
    }
    throw error;
  }
  throw new Error("no error thrown");
}

t.test("day names: abbreviations, full names, any case, ranges that wrap, in week order", async (t) => {
  t.same(parseDaysOfWeek("Mon,Wed,Fri"), ["Monday", "Wednesday", "Friday"]);
  t.same(parseDaysOfWeek("friday, monday"), ["Monday", "Friday"]);
  t.same(parseDaysOfWeek("Mon-Fri"), ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]);
  t.same(parseDaysOfWeek("Sat-Mon"), ["Monday", "Saturday", "Sunday"]);
  t.match(usageLines(() => parseDaysOfWeek("Mon,Funday"))[0], /--days: "Funday" is not a day/);
  t.match(usageLines(() => parseDaysOfWeek(" , "))[0], /name at least one day/);
});

t.test("days of the month: numbers, ranges and L", async (t) => {
  t.same(parseDaysOfMonth("1,15,L"), [1, 15, "L"]);
  t.same(parseDaysOfMonth("1-3,l"), [1, 2, 3, "L"]);
  t.match(usageLines(() => parseDaysOfMonth("first"))[0], /--days-of-month: "first" is not a day of the month/);
  t.match(usageLines(() => parseDaysOfMonth("9-2"))[0], /runs backwards/);
});

t.test("--at with days, month days, a range and a zone is a Continuous schedule", async (t) => {
  const s = buildSchedule({ at: "22:00", days: "Mon,Wed,Fri", daysOfMonth: "1,15,L", from: "2026-02-10", to: "2026-12-31", tz: "Asia/Taipei" });
  t.same(s, {
    type: "Continuous",
    time: "22:00",
    timeZone: "Asia/Taipei",
    period: { startDay: "2026-02-10", endDay: "2026-12-31", daysOfWeek: ["Monday", "Wednesday", "Friday"], daysOfMonth: [1, 15, "L"] },
  });
  t.same(toWireSchedule(s), {
    Type: "Continuous",
    Time: "22:00:00",
    TimeZone: "Asia/Taipei",
    Period: { StartDay: "2026-02-10", EndDay: "2026-12-31", DaysOfWeek: ["Monday", "Wednesday", "Friday"], DaysOfMonth: [1, 15, "L"] },
  });
});

t.test("--date or --once make a Once schedule; --cron a Cron; --manual a Manual", async (t) => {
  t.same(toWireSchedule(buildSchedule({ at: "09:30", date: "2026-04-01", tz: "UTC" }, { now: NOW })), {
    Type: "Once",
    Time: "09:30:00",
    Date: "2026-04-01",
    TimeZone: "UTC",
  });
  t.same(toWireSchedule(buildSchedule({ at: "09:30:15", once: true })), { Type: "Once", Time: "09:30:15" });
  t.same(toWireSchedule(buildSchedule({ cron: "0 6 * * 1-5", tz: "Europe/Berlin" })), {
    Type: "Cron",
    Cron: "0 6 * * 1-5",
    TimeZone: "Europe/Berlin",
  });
  t.same(toWireSchedule(buildSchedule({ manual: true })), { Type: "Manual" });
});

t.test("each problem the library finds is reported against the flag that caused it", async (t) => {
  const lines = usageLines(() => buildSchedule({ at: "25:00", daysOfMonth: "1,32", from: "2026-02-30", tz: "Mars/Olympus" }));
  t.equal(lines.length, 4);
  t.match(lines.join("\n"), /^--tz: "Mars\/Olympus" is not a known IANA time zone$/m);
  t.match(lines.join("\n"), /^--at: "25:00" is not a time of day/m);
  t.match(lines.join("\n"), /^--days-of-month: 32 is not a day of the month/m);
  t.match(lines.join("\n"), /^--from: "2026-02-30" is not a real calendar date/m);
  t.match(usageLines(() => buildSchedule({ at: "10:00", from: "2026-05-01", to: "2026-04-01" }))[0], /^--to: 2026-04-01 is before startDay/);
  t.match(usageLines(() => buildSchedule({ cron: "61 * * * *" }))[0], /^--cron: "61 \* \* \* \*" is not a valid cron pattern/);
  t.match(usageLines(() => buildSchedule({ at: "10:00", date: "2026-01-01" }, { now: NOW }))[0], /^--date: .*has already passed/);
});

t.test("flags that do not belong together are refused", async (t) => {
  t.match(usageLines(() => buildSchedule({ cron: "0 6 * * *", at: "10:00" }))[0], /--at cannot be used with --cron/);
  t.match(usageLines(() => buildSchedule({ manual: true, tz: "UTC" }))[0], /--tz cannot be used with --manual/);
  t.match(usageLines(() => buildSchedule({ date: "2026-04-01", days: "Mon" }))[0], /--days cannot be used with --date/);
  t.match(usageLines(() => buildSchedule({ date: "2026-04-01" }))[0], /--at is required with --date/);
  t.match(usageLines(() => buildSchedule({ days: "Mon" }))[0], /--at HH:MM is required/);
  t.match(usageLines(() => buildSchedule({}))[0], /say when/);
});
