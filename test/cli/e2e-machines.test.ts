import t from "tap";
import { json, shoal, startRealGateway } from "./e2e-helpers.js";
import { holdPort } from "../helpers/port-hold.js";

t.test("machines: add, list, get, remove against a real gateway", async (t) => {
  const g = await startRealGateway();
  t.teardown(() => g.close());
  const env = { SHOAL_URL: g.url };

  const added = await shoal(
    ["machines", "add", "--id", "rack1-node01", "--endpoint", "https://10.0.0.11", "--bmc-user", "root", "--password-stdin", "--type", "Extend"],
    { env, stdin: "s3cret-pw\n" },
  );
  t.equal(added.code, 0, added.stderr);
  t.equal(added.stdout, "Registered rack1-node01 (Extend, https://10.0.0.11)\n");
  const second = await shoal(["machines", "add", "--id", "rack1-node02", "--endpoint", "http://10.0.0.12", "--bmc-user", "admin", "--password-stdin", "--type", "Base", "--json"], {
    env,
    stdin: "other-pw",
  });
  t.equal(second.code, 0, second.stderr);
  t.match(json(second), { Id: "rack1-node02", Type: "Base", Password: null });

  const table = await shoal(["machines", "list"], { env });
  t.equal(table.code, 0);
  t.match(table.stdout, /^ID\s+TYPE\s+ENDPOINT\s+USER\s+NAME\nrack1-node01\s+Extend\s+https:\/\/10\.0\.0\.11\s+root\s+.*\nrack1-node02\s+Base\s+http:\/\/10\.0\.0\.12\s+admin/);
  const list = json<{ Id: string; Password: unknown }[]>(await shoal(["machines", "list", "--json"], { env }));
  t.same(list.map((m) => m.Id).sort(), ["rack1-node01", "rack1-node02"]);
  t.ok(list.every((m) => m.Password === null));

  const got = await shoal(["machines", "get", "rack1-node01"], { env });
  t.equal(got.code, 0);
  t.match(got.stdout, /^Id:\s+rack1-node01$/m);
  t.match(got.stdout, /^Endpoint:\s+https:\/\/10\.0\.0\.11$/m);

  const removed = await shoal(["machines", "remove", "rack1-node02"], { env });
  t.equal(removed.code, 0);
  t.equal(removed.stdout, "Removed machine rack1-node02\n");
  const gone = await shoal(["machines", "get", "rack1-node02"], { env });
  t.equal(gone.code, 2);
  t.equal(gone.stderr, "shoal: No resource of type Machine named 'rack1-node02' exists.\n");

  const everything = [added, second, table, got].map((r) => r.stdout + r.stderr).join("\n") + g.logLines.join("\n");
  t.notMatch(everything, /s3cret-pw|other-pw/, "the BMC password shows up nowhere");
});

t.test("machines: the gateway's validation errors come back one line each, exit 2", async (t) => {
  const g = await startRealGateway();
  t.teardown(() => g.close());
  const env = { SHOAL_URL: g.url };
  const bad = await shoal(["machines", "add", "--id", "../etc", "--endpoint", "ftp://x", "--bmc-user", "u", "--password-stdin", "--timeout", "3600"], {
    env,
    stdin: "pw",
  });
  t.equal(bad.code, 2);
  const lines = bad.stderr.trimEnd().split("\n");
  t.ok(lines.length >= 2, "one line per problem");
  t.ok(lines.every((l) => l.startsWith("shoal: ")));
  t.match(bad.stderr, /Id/);
  t.match(bad.stderr, /Endpoint/);
  const jsonBad = await shoal(["machines", "add", "--id", "../etc", "--endpoint", "ftp://x", "--bmc-user", "u", "--json"], { env });
  t.equal(jsonBad.code, 2);
  t.match(json(jsonBad), { error: { "@Message.ExtendedInfo": [] } });

  await shoal(["machines", "add", "--id", "dup", "--endpoint", "http://10.0.0.1", "--bmc-user", "u", "--password-stdin"], { env, stdin: "pw" });
  const dup = await shoal(["machines", "add", "--id", "dup", "--endpoint", "http://10.0.0.1", "--bmc-user", "u", "--password-stdin"], { env, stdin: "pw" });
  t.equal(dup.code, 2);
  t.match(dup.stderr, /already exists/i);
});

t.test("an unreachable gateway exits 3", async (t) => {
  const g = await startRealGateway();
  const url = g.url;
  await g.close();
  // Kept from other test files' servers until the CLI has tried it.
  t.teardown(await holdPort(Number(new URL(url).port)));
  const r = await shoal(["machines", "list", "--url", url]);
  t.equal(r.code, 3);
  t.match(r.stderr, /cannot reach the gateway/);
});
