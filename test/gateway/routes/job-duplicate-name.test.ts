/** Two enabled jobs with one name: the second is created, with a Warning naming the first. */
import t from "tap";
import { call, registerMachines, startGateway } from "../helpers/http.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";

t.test("creating an enabled job whose name an enabled job has answers 201 with a Warning naming it", async (t) => {
  const g = await startGateway({ defineActions: (s) => s.defineAction("Echo", { run: async () => ({ message: "ok" }) }) });
  t.teardown(() => g.close());
  await registerMachines(g.url, ["m-1"]);
  const body = { Name: "nightly", Action: "Echo", Machines: ["m-1"], Schedule: { Type: "Manual" } };
  const first = await call(g.url, "POST", JOBS, { body });
  t.equal(first.status, 201);
  t.notOk("@Message.ExtendedInfo" in first.json, "the first of its name has no warning");

  const second = await call(g.url, "POST", JOBS, { body });
  t.equal(second.status, 201, "still created");
  const info = second.json["@Message.ExtendedInfo"] as Record<string, unknown>[];
  // The body also repeats the first job's action, machines and schedule: that has a warning of its own.
  const named = info.filter((i) => JSON.stringify(i["RelatedProperties"]) === JSON.stringify(["#/Name"]));
  t.equal(named.length, 1);
  t.match(named[0], {
    Severity: "Warning",
    RelatedProperties: ["#/Name"],
    Message: new RegExp(`${String(first.json["Id"])} already has the name 'nightly'`),
    Resolution: /pause or delete the old one/,
  });

  const other = { ...body, Name: "paused one", Schedule: { Type: "Cron", Cron: "0 3 * * *" } };
  const paused = await call(g.url, "POST", JOBS, { body: { ...other, Enabled: false } });
  const again = await call(g.url, "POST", JOBS, { body: other });
  t.equal(paused.status, 201);
  t.notOk("@Message.ExtendedInfo" in again.json, "a paused job of that name is no conflict");
});
