/**
 * Our five MultiFish-style job bodies (test/fixtures/jobs/), posted as they
 * are: each is accepted and shows the NextRunTime its schedule calls for.
 */
import t from "tap";
import { ManualClock } from "../../../src/scheduler/clock.js";
import { call, registerMachines, startGateway } from "../helpers/http.js";
import { jobFixtures } from "../helpers/fixtures.js";

const NOW = new Date("2026-02-10T12:00:00Z");

/** Worked out by hand from each body, for a gateway whose clock reads NOW in UTC. */
const EXPECTED: Record<string, { next: string; description: RegExp }> = {
  "once-fan-profile.json": { next: "2026-02-11T07:30:00Z", description: /07:30/ },
  "once-fan-profile-two-managers.json": { next: "2026-02-10T13:15:00Z", description: /13:15/ },
  "continuous-nightly.json": { next: "2026-03-01T23:45:00Z", description: /23:45.*2026-03-01 to 2026-11-30/ },
  "continuous-workdays.json": { next: "2026-03-02T07:00:00Z", description: /07:00 on Monday/ },
  "continuous-twice-monthly.json": { next: "2026-03-01T03:30:00Z", description: /days 1 and 15/ },
};

t.test("the five MultiFish-style bodies are accepted as they are, each with the right NextRunTime", async (t) => {
  const g = await startGateway({
    schedulerClock: new ManualClock(NOW),
    timeZone: "UTC",
    defineActions: (s) => s.defineAction("PatchProfile", { run: async () => ({ message: "ok" }) }),
  });
  t.teardown(() => g.close());
  await registerMachines(g.url, ["rack7-node01", "rack7-node02", "rack7-node03"]);

  const fixtures = jobFixtures();
  t.same(fixtures.map((f) => f.name).sort(), Object.keys(EXPECTED).sort(), "every fixture has an expectation");
  for (const { name, body } of fixtures) {
    const reply = await call(g.url, "POST", "/MultiFish/v1/JobService/Jobs", { body });
    t.equal(reply.status, 201, name);
    const expected = EXPECTED[name];
    t.equal(reply.json["NextRunTime"], expected?.next, name);
    t.match(reply.json["ScheduleDescription"], expected?.description ?? /./, name);
    t.match(reply.json, { Name: body["Name"], Machines: body["Machines"], Action: "PatchProfile", Payload: body["Payload"] }, name);
    const once = (body["Schedule"] as { Type?: string } | undefined)?.Type === "Once";
    t.equal(reply.json["Status"], once ? "Pending" : "Scheduled", `${name}: a new job is ${once ? "Pending (a one-off)" : "Scheduled"}`);
  }
  const twiceMonthly = fixtures.find((f) => f.name === "continuous-twice-monthly.json");
  const again = await call(g.url, "POST", "/MultiFish/v1/JobService/Jobs", { body: twiceMonthly?.body });
  t.match(again.json, { Schedule: { Period: { DaysOfMonth: "1,15", DaysOfWeek: [] } } }, "DaysOfMonth comes back as the string it was sent as");
});
