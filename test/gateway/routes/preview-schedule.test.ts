import t from "tap";
import { call, messageIds, related, startGateway } from "../helpers/http.js";
import { jobFixture } from "../helpers/fixtures.js";

const PREVIEW = "/MultiFish/v1/JobService/Actions/JobService.PreviewSchedule";

t.test("PreviewSchedule validates a schedule without creating anything and lists its next runs", async (t) => {
  const g = await startGateway({ clock: () => new Date("2026-02-10T12:00:00Z"), timeZone: "UTC" });
  t.teardown(() => g.close());

  const monthly = await call(g.url, "POST", PREVIEW, { body: { Schedule: jobFixture("continuous-twice-monthly.json")["Schedule"], Count: 3 } });
  t.equal(monthly.status, 200);
  t.same(monthly.json, {
    Description: "At 03:30 on days 1 and 15 of each month, from 2026-03-01 to 2026-11-30 (UTC)",
    NextRunTimes: ["2026-03-01T03:30:00Z", "2026-03-15T03:30:00Z", "2026-04-01T03:30:00Z"],
  });

  const weekdays = await call(g.url, "POST", PREVIEW, { body: { Schedule: jobFixture("continuous-workdays.json")["Schedule"] } });
  t.equal((weekdays.json["NextRunTimes"] as string[]).length, 5, "five by default");
  t.equal((weekdays.json["NextRunTimes"] as string[])[0], "2026-03-02T07:00:00Z");

  const after = await call(g.url, "POST", PREVIEW, { body: { Schedule: { Type: "Cron", Cron: "0 6 * * *", TimeZone: "Asia/Taipei" }, Count: 2, After: "2026-06-01T00:00:00Z" } });
  t.same(after.json["NextRunTimes"], ["2026-06-01T22:00:00Z", "2026-06-02T22:00:00Z"]);

  const manual = await call(g.url, "POST", PREVIEW, { body: { Schedule: { Type: "Manual" } } });
  t.same(manual.json, { Description: "Only when triggered", NextRunTimes: [] });
});

t.test("PreviewSchedule reports schema and core problems at the body's pointers", async (t) => {
  const g = await startGateway({ clock: () => new Date("2026-02-10T12:00:00Z"), timeZone: "UTC" });
  t.teardown(() => g.close());
  const cases: [unknown, string[], string[]][] = [
    [{ Schedule: { Type: "Once", Time: "25:00" } }, ["PropertyValueFormatError"], ["#/Schedule/Time"]],
    [{ Schedule: { Type: "Continuous", Time: "08:00", Period: { DaysOfWeek: ["Funday"] } } }, ["PropertyValueNotInList"], ["#/Schedule/Period/DaysOfWeek/0"]],
    [{ Schedule: { Type: "Continuous", Time: "08:00", Period: { StartDay: "2026-05-01", EndDay: "2026-04-01" } } }, ["PropertyValueOutOfRange"], ["#/Schedule/Period/EndDay"]],
    [{ Schedule: { Type: "Once", Time: "08:00", Date: "2026-01-01" } }, ["PropertyValueOutOfRange"], ["#/Schedule/Date"]],
    [{ Schedule: { Type: "Cron", Cron: "61 * * * *" } }, ["PropertyValueFormatError"], ["#/Schedule/Cron"]],
    [{ Schedule: { Type: "Once", Time: "08:00", TimeZone: "Mars/Olympus" } }, ["PropertyValueNotInList"], ["#/Schedule/TimeZone"]],
    [{ Count: 3 }, ["PropertyMissing"], ["#/Schedule"]],
  ];
  for (const [body, ids, pointers] of cases) {
    const reply = await call(g.url, "POST", PREVIEW, { body });
    t.equal(reply.status, 400, JSON.stringify(body));
    t.same(messageIds(reply), ids.map((id) => `Base.1.22.${id}`), JSON.stringify(body));
    t.same(related(reply), pointers, JSON.stringify(body));
  }
  t.equal((await call(g.url, "GET", PREVIEW)).status, 405, "an action is POST only");
});
