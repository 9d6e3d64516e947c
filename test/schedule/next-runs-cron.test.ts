import t from "tap";
import { nextRuns } from "../../src/schedule/next-runs.js";
import type { CronSchedule } from "../../src/schedule/types.js";

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());
const at = (text: string) => new Date(text);
const cron = (pattern: string, timeZone: string): CronSchedule => ({ type: "Cron", cron: pattern, timeZone });

t.test("a five-field pattern runs on its minutes in its zone", async (t) => {
  t.same(iso(nextRuns(cron("0 6 * * 1-5", "Asia/Taipei"), 3, { after: at("2026-06-05T00:00:00Z") })), [
    "2026-06-07T22:00:00.000Z", // Monday 06:00 in Taipei
    "2026-06-08T22:00:00.000Z",
    "2026-06-09T22:00:00.000Z",
  ]);
});

t.test("a six-field pattern has seconds first", async (t) => {
  t.same(iso(nextRuns(cron("*/15 * * * * *", "UTC"), 3, { after: at("2026-06-05T00:00:00.500Z") })), [
    "2026-06-05T00:00:15.000Z",
    "2026-06-05T00:00:30.000Z",
    "2026-06-05T00:00:45.000Z",
  ]);
});

t.test("a pattern that matches only on 29 February finds the leap years", async (t) => {
  t.same(iso(nextRuns(cron("0 0 29 2 *", "UTC"), 3, { after: at("2026-01-01T00:00:00Z") })), [
    "2028-02-29T00:00:00.000Z",
    "2032-02-29T00:00:00.000Z",
    "2036-02-29T00:00:00.000Z",
  ]);
});

for (const zone of [
  { name: "America/New_York", spring: "2026-03-07T12:00:00Z", fall: "2026-10-31T12:00:00Z" },
  { name: "Europe/London", spring: "2026-03-28T12:00:00Z", fall: "2026-10-24T12:00:00Z" },
]) {
  t.test(`daylight saving in ${zone.name}`, async (t) => {
    const gapHour = zone.name === "America/New_York" ? 2 : 1;
    const repeatedHour = 1;

    t.test("a fixed-time pattern inside the gap runs at the end of the gap", async (t) => {
      const [first] = nextRuns(cron(`30 ${gapHour} * * *`, zone.name), 1, { after: at(zone.spring) });
      t.equal(
        first?.toISOString(),
        zone.name === "America/New_York" ? "2026-03-08T07:00:00.000Z" : "2026-03-29T01:00:00.000Z",
      );
    });

    t.test("an interval pattern inside the gap is skipped that day (real time, as Vixie cron)", async (t) => {
      const [first] = nextRuns(cron(`*/20 ${gapHour} * * *`, zone.name), 1, { after: at(zone.spring) });
      t.equal(
        first?.toISOString(),
        zone.name === "America/New_York" ? "2026-03-09T06:00:00.000Z" : "2026-03-30T00:00:00.000Z",
      );
    });

    t.test("a fixed-time pattern in the repeated hour runs once, at the first", async (t) => {
      const runs = iso(nextRuns(cron(`30 ${repeatedHour} * * *`, zone.name), 2, { after: at(zone.fall) }));
      t.same(
        runs,
        zone.name === "America/New_York"
          ? ["2026-11-01T05:30:00.000Z", "2026-11-02T06:30:00.000Z"]
          : ["2026-10-25T00:30:00.000Z", "2026-10-26T01:30:00.000Z"],
      );
    });

    t.test("an interval pattern runs in both copies of the repeated hour", async (t) => {
      const runs = iso(nextRuns(cron(`*/30 ${repeatedHour} * * *`, zone.name), 4, { after: at(zone.fall) }));
      t.same(
        runs,
        zone.name === "America/New_York"
          ? ["2026-11-01T05:00:00.000Z", "2026-11-01T05:30:00.000Z", "2026-11-01T06:00:00.000Z", "2026-11-01T06:30:00.000Z"]
          : ["2026-10-25T00:00:00.000Z", "2026-10-25T00:30:00.000Z", "2026-10-25T01:00:00.000Z", "2026-10-25T01:30:00.000Z"],
      );
    });
  });
}
