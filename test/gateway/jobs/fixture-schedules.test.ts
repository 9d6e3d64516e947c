import t from "tap";
import { describeSchedule, nextRuns, validateSchedule } from "../../../src/schedule/index.js";
import { isShoalError } from "../../../src/errors.js";
import { fromShoalError } from "../../../gateway/redfish/shoal-to-redfish.js";
import { bodyShape, scheduleFromWire } from "../../../gateway/jobs/spec-from-wire.js";
import { schedulePointerTranslator } from "../../../gateway/jobs/wire-pointers.js";
import type { WireSchedule } from "../../../gateway/jobs/wire-types.js";
import { jobFixture } from "../helpers/fixtures.js";

const after = new Date("2026-02-10T12:00:00Z");
const zone = { timeZone: "UTC" };

t.test("each of our MultiFish-style bodies maps to a schedule the core accepts, with the right next runs", async (t) => {
  const expected: Record<string, string[]> = {
    "once-fan-profile.json": ["2026-02-11T07:30:00.000Z"],
    "once-fan-profile-two-managers.json": ["2026-02-10T13:15:00.000Z"],
    "continuous-nightly.json": ["2026-03-01T23:45:00.000Z", "2026-03-02T23:45:00.000Z"],
    "continuous-workdays.json": ["2026-03-02T07:00:00.000Z", "2026-03-03T07:00:00.000Z"],
    "continuous-twice-monthly.json": ["2026-03-01T03:30:00.000Z", "2026-03-15T03:30:00.000Z"],
  };
  for (const [name, runs] of Object.entries(expected)) {
    const schedule = validateSchedule(scheduleFromWire(jobFixture(name)["Schedule"] as WireSchedule), { now: after, ...zone });
    const got = nextRuns(schedule, runs.length, { after, ...zone }).map((d) => d.toISOString());
    t.same(got, runs, name);
    t.type(describeSchedule(schedule, zone), "string");
  }
  const monthly = validateSchedule(scheduleFromWire(jobFixture("continuous-twice-monthly.json")["Schedule"] as WireSchedule));
  t.equal(describeSchedule(monthly, zone), "At 03:30 on days 1 and 15 of each month, from 2026-03-01 to 2026-11-30 (UTC)");
});

t.test("what only the core can check comes back pointing into the body the client sent", async (t) => {
  const cases: [WireSchedule, string, string][] = [
    [{ Type: "Continuous", Time: "08:00", Period: { StartDay: "2026-05-01", EndDay: "2026-04-01" } }, "#/Schedule/Period/EndDay", "PropertyValueOutOfRange"],
    [{ Type: "Once", Time: "08:00", Date: "2020-01-01" }, "#/Schedule/Date", "PropertyValueOutOfRange"],
    [{ Type: "Cron", Cron: "61 * * * *" }, "#/Schedule/Cron", "PropertyValueFormatError"],
    [{ Type: "Once", Time: "08:00", TimeZone: "Mars/Olympus" }, "#/Schedule/TimeZone", "PropertyValueNotInList"],
  ];
  for (const [wire, pointer, key] of cases) {
    try {
      validateSchedule(scheduleFromWire(wire), { now: after });
      t.fail(`${JSON.stringify(wire)} accepted`);
    } catch (e) {
      t.ok(isShoalError(e));
      if (!isShoalError(e)) continue;
      const redfish = fromShoalError(e, { translate: schedulePointerTranslator(bodyShape({ Schedule: wire })) });
      t.equal(redfish?.status, 400);
      t.same(redfish?.problems.map((p) => [p.key, p.relatedProperties?.[0]]), [[key, pointer]], JSON.stringify(wire));
    }
  }
});
