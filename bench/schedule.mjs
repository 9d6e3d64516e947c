// Next-run computations per second: Shoal's Continuous weekday schedule against
// croner on the equivalent cron pattern, in the same process and run.
import { Cron } from "croner";
import { nextRuns } from "../lib/src/index.js";

const zone = "America/New_York";
const continuous = {
  type: "Continuous",
  time: "22:00",
  timeZone: zone,
  period: { daysOfWeek: ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"] },
};
const cron = new Cron("0 22 * * 1-5", { timezone: zone, paused: true });
const leapDay = { type: "Cron", cron: "0 0 29 2 *", timeZone: "UTC" };
const monthly = { type: "Continuous", time: "02:00", timeZone: zone, period: { daysOfMonth: [31] } };

const start = Date.parse("2026-01-01T00:00:00Z");
const step = 7 * 3600 * 1000 + 13 * 60 * 1000; // walks through every hour and weekday, DST days included

// Each instant is earlier than the one before: Shoal remembers a pattern's last
// single answer for the instants up to it (jobs on one pattern firing together
// ask for the same run), and a walk forwards would measure that memory, not the
// calendar stepping compared here.
const instant = (n) => new Date(start + (20000 - (n % 20000)) * step);

function measure(fn, ms = 1500) {
  for (let i = 0; i < 2000; i++) fn(instant(i)); // warm up
  let n = 0;
  const t0 = performance.now();
  let t1 = t0;
  while (t1 - t0 < ms) {
    for (let i = 0; i < 500; i++, n++) fn(instant(n));
    t1 = performance.now();
  }
  return { perSecond: Math.round((n / (t1 - t0)) * 1000), microsecondsEach: +(((t1 - t0) * 1000) / n).toFixed(2) };
}

const shoal = measure((after) => nextRuns(continuous, 1, { after }));
const croner = measure((after) => cron.nextRun(after));
const leap = measure((after) => nextRuns(leapDay, 3, { after }), 500);
const day31 = measure((after) => nextRuns(monthly, 3, { after }), 500);

console.log(
  JSON.stringify({
    continuousWeekdays: shoal,
    cronerEquivalentPattern: croner,
    ratioShoalToCroner: +(shoal.perSecond / croner.perSecond).toFixed(2),
    cronLeapDayThreeRuns: leap,
    continuousDay31ThreeRuns: day31,
  }),
);
