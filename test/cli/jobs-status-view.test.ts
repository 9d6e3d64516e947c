/**
 * `jobs list` shows what each job is doing, when it runs next and how its last
 * run went; `jobs get` shows the payload; a second enabled job of one name is
 * created with a warning. In-process against a real gateway and simulated BMCs.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { tempDir } from "./results-fixtures.js";
import { plain } from "./helpers.js";
import { startBench } from "./harness-operator.js";

t.test("jobs list, jobs get and a duplicate name, against a real gateway", async (t) => {
  const bench = await startBench(2);
  t.teardown(() => bench.close());
  await bench.registerFleet();
  const payload = join(tempDir("shoal-status-"), "profile.json");
  writeFileSync(payload, JSON.stringify([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]));

  const created = await bench.shoal(["jobs", "create", "--name", "nightly", "--action", "PatchProfile", "--machines", "sim-1,sim-2", "--payload-file", payload, "--at", "22:00", "--days", "Mon-Fri", "--tz", "UTC", "--json"]);
  t.equal(created.code, 0, created.stderr);
  const id = String((JSON.parse(created.stdout) as { Id: string }).Id);

  const before = await bench.shoal(["jobs", "list"]);
  t.match(before.stdout, /ID\s+NAME\s+STATUS\s+NEXT RUN\s+LAST RUN\s+LAST OUTCOME\s+SCHEDULE/);
  t.match(before.stdout, new RegExp(`${id}\\s+nightly\\s+Scheduled\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\dZ\\s+-\\s+-\\s+At 22:00`));

  const triggered = await bench.shoal(["jobs", "trigger", id, "--wait", "--interval", "50"]);
  t.equal(triggered.code, 0, triggered.stderr);
  const after = await bench.shoal(["jobs", "list"]);
  t.match(after.stdout, new RegExp(`${id}\\s+nightly\\s+Scheduled\\s+\\S+ \\S+\\s+\\S+ \\S+\\s+OK\\s+At 22:00`), "a recurring job stays Scheduled; its last run went OK");

  const shown = await bench.shoal(["jobs", "get", id]);
  t.equal(shown.code, 0);
  t.match(shown.stdout, /Status:\s+Scheduled/);
  t.match(shown.stdout, /Last run:\s+Completed, health OK \(Exec-/);
  t.match(shown.stdout, /PatchProfile on sim-1, sim-2\n\s+\[\n\s+\{\n\s+"ManagerID": "bmc",\n\s+"Payload": \{\n\s+"Profile": "PowerSaver"/, "the payload is shown");

  const twin = await bench.shoal(["jobs", "create", "--name", "nightly", "--action", "PatchProfile", "--machines", "sim-1", "--payload-file", payload, "--manual"]);
  t.equal(twin.code, 0, "still created");
  t.match(twin.stdout, /^Created Job-/);
  t.match(plain(twin.stderr), new RegExp(`warning: .*${id} already has the name 'nightly'.*pause or delete the old one`));
});
