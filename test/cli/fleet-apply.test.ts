/**
 * A fleet kept in a file: `jobs get --json | jobs create -f -` copies a job,
 * `export` writes machines and jobs, `apply` makes the gateway match a file
 * idempotently (create, update, unchanged; --prune deletes; --dry-run
 * changes nothing). In-process against a real gateway and simulated BMCs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { tempDir } from "./results-fixtures.js";
import { startBench } from "./harness-operator.js";

interface Fleet {
  Machines: Record<string, unknown>[];
  Jobs: Record<string, unknown>[];
}

t.test("round trip, export, apply", async (t) => {
  const bench = await startBench(3);
  t.teardown(() => bench.close());
  const [one, two, three] = bench.fleet.bmcs;
  for (const b of [one!, two!]) {
    const r = await bench.shoal(["machines", "add", "--id", b.id, "--endpoint", b.endpoint, "--bmc-user", b.username, "--password-stdin"], { stdin: b.password });
    t.equal(r.code, 0, r.stderr);
  }
  const dir = tempDir("shoal-fleet-");
  const profile = JSON.stringify([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]);
  const nightly = await bench.shoal(["jobs", "create", "--name", "nightly", "--action", "PatchProfile", "--machines", "sim-1,sim-2", "--payload-file", "-", "--at", "22:00", "--days", "Mon-Fri", "--tz", "UTC", "--json"], { stdin: profile });
  const nightlyId = String((JSON.parse(nightly.stdout) as { Id: string }).Id);
  const twoSteps = {
    Name: "two steps",
    Steps: [
      { Action: "PatchManager", Machines: ["sim-1"], Payload: [{ ManagerID: "bmc", Payload: { ServiceIdentification: "rack 7" } }] },
      { Action: "PatchProfile", Machines: ["sim-2"], Payload: JSON.parse(profile), Mode: "ParallelWithPrevious" },
    ],
    Schedule: { Type: "Manual" },
  };
  t.equal((await bench.shoal(["jobs", "create", "-f", "-"], { stdin: JSON.stringify(twoSteps) })).code, 0);

  await t.test("jobs get --json | jobs create -f - makes a copy", async (t) => {
    for (const id of [nightlyId]) {
      const shown = await bench.shoal(["jobs", "get", id, "--json"]);
      const copy = await bench.shoal(["jobs", "create", "-f", "-", "--json"], { stdin: shown.stdout });
      t.equal(copy.code, 0, copy.stderr);
      const original = JSON.parse(shown.stdout) as Record<string, unknown>;
      const made = JSON.parse(copy.stdout) as Record<string, unknown>;
      t.not(made["Id"], original["Id"]);
      for (const key of ["Name", "Action", "Machines", "Payload", "Schedule", "Policy", "Steps"]) t.same(made[key], original[key], key);
      t.equal((await bench.shoal(["jobs", "delete", String(made["Id"])])).code, 0);
    }
    const listed = JSON.parse((await bench.shoal(["jobs", "list", "--json"])).stdout) as { Name: string }[];
    const stepsJob = listed.find((j) => j.Name === "two steps") as unknown as { Id: string };
    const shown = await bench.shoal(["jobs", "get", stepsJob.Id, "--json"]);
    const copy = await bench.shoal(["jobs", "create", "-f", "-", "--json"], { stdin: shown.stdout });
    t.equal(copy.code, 0, copy.stderr);
    t.same((JSON.parse(copy.stdout) as { Steps: unknown }).Steps, (JSON.parse(shown.stdout) as { Steps: unknown }).Steps, "a job of several steps too");
    t.equal((await bench.shoal(["jobs", "delete", String((JSON.parse(copy.stdout) as { Id: string }).Id)])).code, 0);
  });

  const exported = await bench.shoal(["export"]);
  t.equal(exported.code, 0, exported.stderr);
  const fleet = JSON.parse(exported.stdout) as Fleet;
  t.same(fleet.Machines.map((m) => m["Id"]), ["sim-1", "sim-2"]);
  t.notMatch(exported.stdout, /password/i, "no passwords");
  t.same(fleet.Jobs.map((j) => j["Name"]).sort(), ["nightly", "two steps"]);
  const file = join(dir, "fleet.json");
  writeFileSync(file, exported.stdout);

  const same = await bench.shoal(["apply", "-f", file]);
  t.equal(same.code, 0, same.stderr);
  t.match(same.stdout, /Applied: 0 created, 0 updated, 4 unchanged, 0 deleted/, "applying an export changes nothing");

  const nightlyBody = fleet.Jobs.find((j) => j["Name"] === "nightly")!;
  const changed: Fleet = {
    Machines: [...fleet.Machines.map((m) => (m["Id"] === "sim-2" ? { ...m, HTTPClientTimeout: 7 } : m)), { Id: "sim-3", Type: "Extend", Endpoint: three!.endpoint, Username: three!.username }],
    Jobs: [
      { ...nightlyBody, Schedule: { Type: "Cron", Cron: "30 23 * * 1-5", TimeZone: "UTC" }, Machines: ["sim-1", "sim-2", "sim-3"] },
      { Name: "fans", Action: "PatchProfile", Machines: ["sim-3"], Payload: JSON.parse(profile), Schedule: { Type: "Manual" } },
    ],
  };
  writeFileSync(file, JSON.stringify(changed));

  const dry = await bench.shoal(["apply", "-f", file, "--prune", "--dry-run"]);
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, "machine sim-3: would be created");
  t.match(dry.stdout, "machine sim-2: would be updated (HTTPClientTimeout)");
  t.match(dry.stdout, `job "nightly" (${nightlyId}): would be updated (Machines, Schedule)`);
  t.match(dry.stdout, 'job "fans": would be created');
  t.match(dry.stdout, /job "two steps" \(Job-\S+\): would be deleted/);
  t.match(dry.stdout, "Would apply: 2 created, 2 updated, 1 unchanged, 1 deleted");
  t.equal(JSON.parse((await bench.shoal(["machines", "list", "--json"])).stdout).length, 2, "a dry run changes nothing");

  const noPassword = await bench.shoal(["apply", "-f", file]);
  t.equal(noPassword.code, 2);
  t.match(noPassword.stderr, "new machines need a BMC password: sim-3; give them with --passwords-file FILE");

  const applied = await bench.shoal(["apply", "-f", file, "--prune", "--password-env", "BMC_PASSWORD"], { env: { BMC_PASSWORD: three!.password } });
  t.equal(applied.code, 0, applied.stderr);
  t.match(applied.stdout, "Applied: 2 created, 2 updated, 1 unchanged, 1 deleted");
  t.notMatch(applied.stdout + applied.stderr, three!.password);
  const job = JSON.parse((await bench.shoal(["jobs", "get", nightlyId, "--json"])).stdout) as Record<string, unknown>;
  t.match(job, { Id: nightlyId, Machines: ["sim-1", "sim-2", "sim-3"], Schedule: { Type: "Cron", Cron: "30 23 * * 1-5" } }, "updated in place, same Id");
  t.equal((await bench.shoal(["machines", "check", "sim-3"])).code, 0, "the new machine got its password");

  const again = await bench.shoal(["apply", "-f", file, "--prune", "--json"]);
  t.equal(again.code, 0, again.stderr);
  t.ok((JSON.parse(again.stdout) as { Change: string }[]).every((c) => c.Change === "unchanged"), "idempotent");
});
