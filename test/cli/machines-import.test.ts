/** `machines import` registers machines from CSV or JSON, passwords never from the file or argv. In-process. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { tempDir } from "./results-fixtures.js";
import { startBench } from "./harness-operator.js";

t.test("machines import from CSV and JSON, idempotent by Id", async (t) => {
  const bench = await startBench(2);
  t.teardown(() => bench.close());
  const [one, two] = bench.fleet.bmcs;
  const dir = tempDir("shoal-import-");
  const csv = join(dir, "rack7.csv");
  writeFileSync(csv, `id,endpoint,bmc_user,type,timeout\n# the rack's first two\nsim-1,${one!.endpoint},admin,Extend,10\n"sim-2","${two!.endpoint}",admin,Extend,\n`);

  const missing = await bench.shoal(["machines", "import", csv]);
  t.equal(missing.code, 2);
  t.match(missing.stderr, "new machines need a BMC password: sim-1, sim-2");

  const imported = await bench.shoal(["machines", "import", csv, "--password-env", "BMC_PASSWORD"], { env: { BMC_PASSWORD: one!.password } });
  t.equal(imported.code, 0, imported.stderr);
  t.equal(imported.stdout, "machine sim-1: created\nmachine sim-2: created\n2 machines: 2 new, 0 updated\n");
  t.match(JSON.parse((await bench.shoal(["machines", "get", "sim-1", "--json"])).stdout), { Endpoint: one!.endpoint, Username: "admin", HTTPClientTimeout: 10 });
  t.equal((await bench.shoal(["machines", "check", "--all"])).code, 0, "the password reached the gateway");

  const json = join(dir, "machines.json");
  writeFileSync(json, JSON.stringify([{ Id: "sim-1", Endpoint: one!.endpoint, Username: "admin", HTTPClientTimeout: 20 }, { Id: "sim-2", Endpoint: two!.endpoint, Username: "admin" }]));
  const again = await bench.shoal(["machines", "import", json]);
  t.equal(again.code, 0, again.stderr);
  t.equal(again.stdout, "machine sim-1: updated (HTTPClientTimeout)\nmachine sim-2: unchanged\n2 machines: 0 new, 1 updated\n");

  const withPassword = join(dir, "bad.csv");
  writeFileSync(withPassword, "id,endpoint,bmc_user,password\nx,http://127.0.0.1:9,admin,secret\n");
  const refused = await bench.shoal(["machines", "import", withPassword]);
  t.equal(refused.code, 2);
  t.match(refused.stderr, "a password column is refused");
});
