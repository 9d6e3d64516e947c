/**
 * `machines check` contacts each BMC through the gateway and says what is
 * wrong; wrong stored credentials surface in a run's result with how to fix
 * them; `machines edit` fixes them. In-process against a real gateway and
 * simulated BMCs.
 */
import t from "tap";
import { startSimulatedBmcs } from "../sim/fleet.js";
import { plain } from "./helpers.js";
import { startBench } from "./harness-operator.js";

t.test("check, a run with refused credentials, edit, check again", async (t) => {
  const bench = await startBench(2);
  const base = await startSimulatedBmcs(1, { type: "Base", idPrefix: "std-" });
  t.teardown(async () => {
    await bench.close();
    await base.close();
  });
  const [good, badPw] = bench.fleet.bmcs;
  const add = (id: string, endpoint: string, password: string, extra: string[] = []) =>
    bench.shoal(["machines", "add", "--id", id, "--endpoint", endpoint, "--bmc-user", "admin", "--password-stdin", "--type", "Extend", ...extra], { stdin: password });

  const checked = await add("good", good!.endpoint, good!.password, ["--check"]);
  t.equal(checked.code, 0, checked.stderr);
  t.match(checked.stdout, /Checked: reachable, credentials accepted, Type Extend right \(managers: bmc\)/);
  t.equal((await add("wrong-pw", badPw!.endpoint, "not-the-password")).code, 0, "registering does not contact the BMC");
  t.equal((await add("dead", "http://127.0.0.1:9", "x")).code, 0);
  t.equal((await add("std", base.bmcs[0]!.endpoint, base.bmcs[0]!.password)).code, 0);

  const all = await bench.shoal(["machines", "check", "--all"]);
  t.equal(all.code, 1, "not every machine is ready");
  const table = plain(all.stdout);
  t.match(table, /MACHINE\s+TYPE\s+REACHABLE\s+CREDENTIALS\s+TYPE OK\s+MANAGERS/);
  t.match(table, /good\s+Extend\s+yes\s+yes\s+yes\s+bmc \(controllers fan_cpu, fan_io; zones /);
  t.match(table, /wrong-pw\s+Extend\s+yes\s+NO\s+-/);
  t.match(table, /dead\s+Extend\s+NO\s+-\s+-/);
  t.match(table, /std\s+Extend\s+yes\s+yes\s+NO\s+bmc/);
  t.match(all.stderr, /wrong-pw: the BMC refused the stored credentials; update them: .*shoal machines edit wrong-pw --bmc-user USER --password-stdin/);
  t.match(all.stderr, /std: no manager has OpenBMC's fan OEM resources.*shoal machines edit std --type Base/);
  t.match(all.stderr, /dead: .*shoal machines edit dead --endpoint URL/);

  const json = await bench.shoal(["machines", "check", "good", "wrong-pw", "--json"]);
  t.equal(json.code, 1);
  t.match(JSON.parse(json.stdout), [
    { Id: "good", Reachable: true, CredentialsAccepted: true, TypeMatches: true, Managers: [{ Id: "bmc", FanControllers: ["fan_cpu", "fan_io"] }], Problem: null },
    { Id: "wrong-pw", Reachable: true, CredentialsAccepted: false, Problem: /credentials/ },
  ]);

  const job = await bench.shoal(["jobs", "create", "--name", "profile", "--action", "PatchProfile", "--machines", "good,wrong-pw", "--manual", "--payload-file", "-", "--json"], {
    stdin: JSON.stringify([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]),
  });
  const jobId = String((JSON.parse(job.stdout) as { Id: string }).Id);
  const ran = await bench.shoal(["jobs", "trigger", jobId, "--wait", "--interval", "50"]);
  t.equal(ran.code, 1, "one machine failed");
  t.match(ran.stdout, /wrong-pw .*the BMC refused the stored credentials of machine 'wrong-pw'.*Update them with: printf %s "\$BMC_PASSWORD" \| shoal machines edit wrong-pw --bmc-user USER --password-stdin/);

  const edited = await bench.shoal(["machines", "edit", "wrong-pw", "--password-stdin"], { stdin: badPw!.password });
  t.equal(edited.code, 0, edited.stderr);
  t.equal(edited.stdout, "Updated machine wrong-pw: Password (not shown)\n");
  t.notMatch(edited.stdout + edited.stderr, badPw!.password);
  t.equal((await bench.shoal(["machines", "check", "wrong-pw"])).code, 0, "ready now");
  // A new login method must come with the password: the stored one never follows a change of how it is sent.
  const withoutPassword = await bench.shoal(["machines", "edit", "std", "--auth", "Session"]);
  t.equal(withoutPassword.code, 2);
  t.match(withoutPassword.stderr, /--password-stdin/);
  const typed = await bench.shoal(["machines", "edit", "std", "--type", "Base", "--timeout", "5", "--auth", "Session", "--password-stdin"], { stdin: base.bmcs[0]!.password });
  t.equal(typed.code, 0, typed.stderr);
  t.match(JSON.parse((await bench.shoal(["machines", "get", "std", "--json"])).stdout), { Type: "Base", HTTPClientTimeout: 5, AuthMethod: "Session" });
  const none = await bench.shoal(["machines", "edit", "std"]);
  t.equal(none.code, 2);
  t.match(none.stderr, "nothing to change");
});
