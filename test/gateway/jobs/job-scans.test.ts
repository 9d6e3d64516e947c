/**
 * Creating a job looks at every other job (same name, same work), and
 * deleting or retyping a machine looks for the jobs that target it: each
 * reads the jobs in place, so a gateway keeping thousands of jobs over
 * thousands of machines does not copy them all on such a request.
 */
import t from "tap";
import { call, registerMachines, startGateway } from "../helpers/http.js";
import { countJobCopies } from "../../helpers/job-copies.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";
const PLATFORM = "/MultiFish/v1/Platform";

t.test("a job's creation and a machine's deletion or new Type scan the jobs without copying one", async (t) => {
  const g = await startGateway({ defineActions: (s) => s.defineAction("Echo", { run: async () => ({ message: "ok" }) }) });
  t.teardown(() => g.close());
  const machines = Array.from({ length: 20 }, (_, i) => `m-${i}`);
  await registerMachines(g.url, machines);
  const body = { Name: "nightly", Action: "Echo", Machines: machines, Schedule: { Type: "Manual" } };
  const first = await call(g.url, "POST", JOBS, { body });
  t.equal(first.status, 201);

  const copies = countJobCopies(g.scheduler);

  const second = await call(g.url, "POST", JOBS, { body });
  t.equal(second.status, 201);
  const info = second.json["@Message.ExtendedInfo"] as Record<string, unknown>[];
  t.ok(info.some((i) => String(i["Message"]).includes(`${String(first.json["Id"])} already has the name 'nightly'`)), "the same-name warning still names the first job");
  t.ok(info.length >= 2, "and the same-work warning is there too");

  const inUse = await call(g.url, "DELETE", `${PLATFORM}/m-0`);
  t.equal(inUse.status, 409, "a targeted machine is still refused");
  const retyped = await call(g.url, "PATCH", `${PLATFORM}/m-1`, { body: { Type: "Base" } });
  t.equal(retyped.status, 200, "a new Type is checked against the jobs (Echo runs on any Type)");
  t.equal(copies.count, 0, "no job was copied");
});
