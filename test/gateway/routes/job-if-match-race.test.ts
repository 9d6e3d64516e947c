import { join } from "node:path";
import t from "tap";
import { FileStore } from "../../../src/store/file-store.js";
import { tempDir } from "../../helpers/temp-dir.js";
import { call, registerMachines, startGateway } from "../helpers/http.js";

const JOBS = "/MultiFish/v1/JobService/Jobs";

async function createJob(url: string) {
  await registerMachines(url, ["node-a"]);
  const created = await call(url, "POST", JOBS, { body: { Name: "race", Action: "Echo", Machines: ["node-a"], Schedule: { Type: "Manual" } } });
  if (created.status !== 201) throw new Error(`create: ${created.status} ${created.text}`);
  return created;
}

t.test("two PATCHes of one job with the same If-Match: exactly one 200 and one 412, and the winner's change is kept (20 rounds)", async (t) => {
  // A durable store, so each write really waits for the disk, as it does in production.
  const store = new FileStore({ path: join(tempDir("shoal-race-"), "shoal.json") });
  const g = await startGateway({ store, defineActions: (s) => s.defineAction("Echo", { run: async () => undefined }) });
  t.teardown(() => g.close());
  const created = await createJob(g.url);
  const path = `${JOBS}/${created.json.Id as string}`;

  for (let round = 0; round < 20; round++) {
    const etag = (await call(g.url, "GET", path)).headers["etag"] as string;
    const [a, b] = await Promise.all([
      call(g.url, "PATCH", path, { body: { Name: `name ${round}` }, headers: { "If-Match": etag } }),
      call(g.url, "PATCH", path, { body: { Description: `description ${round}` }, headers: { "If-Match": etag } }),
    ]);
    t.same([a.status, b.status].sort(), [200, 412], `round ${round}: one winner, one 412`);
    const now = (await call(g.url, "GET", path)).json;
    if (a.status === 200) t.equal(now.Name, `name ${round}`, `round ${round}: the winner's change is there`);
    else t.equal(now.Description, `description ${round}`, `round ${round}: the winner's change is there`);
    if (a.status === 412) t.not(now.Name, `name ${round}`);
    else t.not(now.Description, `description ${round}`);
  }
});

t.test("a DELETE racing a PATCH with the same If-Match: one of them is 412", async (t) => {
  const store = new FileStore({ path: join(tempDir("shoal-race-"), "shoal.json") });
  const g = await startGateway({ store, defineActions: (s) => s.defineAction("Echo", { run: async () => undefined }) });
  t.teardown(() => g.close());
  const created = await createJob(g.url);
  const path = `${JOBS}/${created.json.Id as string}`;
  const etag = (await call(g.url, "GET", path)).headers["etag"] as string;
  const [patched, deleted] = await Promise.all([
    call(g.url, "PATCH", path, { body: { Name: "changed" }, headers: { "If-Match": etag } }),
    call(g.url, "DELETE", path, { headers: { "If-Match": etag } }),
  ]);
  t.same([patched.status, deleted.status].sort(), [200, 412]);
});
