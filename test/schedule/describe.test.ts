import t from "tap";
import { describeSchedule } from "../../src/schedule/describe.js";

t.test("Continuous with weekdays, a range and a zone reads as one sentence", async (t) => {
  t.equal(
    describeSchedule({
      type: "Continuous",
      time: "22:00:00",
      timeZone: "Asia/Taipei",
      period: { startDay: "2026-02-10", endDay: "2026-12-31", daysOfWeek: ["Monday", "Wednesday", "Friday"] },
    }),
    "At 22:00 on Monday, Wednesday and Friday, from 2026-02-10 to 2026-12-31 (Asia/Taipei)",
  );
});

t.test("Continuous with no day filter runs every day; the default zone is named", async (t) => {
  t.equal(describeSchedule({ type: "Continuous", time: "06:30" }, { timeZone: "UTC" }), "At 06:30 every day (UTC)");
});

t.test("days of the month, with the last day", async (t) => {
  t.equal(
    describeSchedule({ type: "Continuous", time: "08:00", period: { daysOfMonth: [1, "L"] } }),
    "At 08:00 on day 1 and the last day of each month",
  );
  t.equal(
    describeSchedule({ type: "Continuous", time: "08:00", period: { daysOfMonth: [1, 15] } }),
    "At 08:00 on days 1 and 15 of each month",
  );
});

t.test("weekdays and days of the month together say either", async (t) => {
  t.equal(
    describeSchedule({ type: "Continuous", time: "08:00", period: { daysOfWeek: ["Sunday"], daysOfMonth: [15] } }),
    "At 08:00 on Sunday, and on day 15 of each month",
  );
});

t.test("open-ended ranges", async (t) => {
  t.equal(
    describeSchedule({ type: "Continuous", time: "08:00:30", period: { startDay: "2026-02-10" } }),
    "At 08:00:30 every day, from 2026-02-10",
  );
  t.equal(
    describeSchedule({ type: "Continuous", time: "08:00", period: { endDay: "2026-12-31" } }),
    "At 08:00 every day, until 2026-12-31",
  );
});

t.test("Once, with and without a date", async (t) => {
  t.equal(describeSchedule({ type: "Once", time: "09:00", date: "2026-12-01" }), "Once at 09:00 on 2026-12-01");
  t.equal(describeSchedule({ type: "Once", time: "09:00" }, { timeZone: "Europe/London" }), "Once at 09:00 (Europe/London)");
});

t.test("Cron reads as English, with its zone", async (t) => {
  t.equal(
    describeSchedule({ type: "Cron", cron: "0 6 * * 1-5", timeZone: "Asia/Taipei" }),
    "At 06:00, Monday through Friday (Asia/Taipei)",
  );
});

t.test("Manual", async (t) => {
  t.equal(describeSchedule({ type: "Manual" }), "Only when triggered");
});

t.test("Monday to Friday and the weekend read as ranges, not lists", async (t) => {
  const workdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] as const;
  t.equal(
    describeSchedule({ type: "Continuous", time: "22:00", period: { daysOfWeek: [...workdays] } }, { timeZone: "UTC" }),
    "At 22:00 on Monday to Friday (UTC)",
  );
  t.equal(describeSchedule({ type: "Continuous", time: "09:00", period: { daysOfWeek: ["Saturday", "Sunday"] } }), "At 09:00 on Saturday and Sunday");
  t.equal(
    describeSchedule({ type: "Continuous", time: "09:00", period: { daysOfWeek: ["Monday", "Tuesday", "Wednesday", "Thursday"] } }),
    "At 09:00 on Monday, Tuesday, Wednesday and Thursday",
  );
});
