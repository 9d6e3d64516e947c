/**
 * The gateway's message and its resolution reach the operator, in the CLI's
 * words (flags, not query strings), naming the jobs and runs involved.
 * In-process against a real gateway and simulated BMCs.
 */
import t from "tap";
import { run } from "./helpers.js";
import { startRealGateway } from "./e2e-helpers.js";
import { startBench } from "./harness-operator.js";

t.test("refusals name the jobs, the run and the flags", async (t) => {
  const bench = await startBench(2);
  t.teardown(() => bench.close());
  await bench.registerFleet();
  const created = await bench.shoal(["jobs", "create", "--name", "slow one", "--action", "PatchManager", "--machines", "sim-1", "--manual", "--json", "--payload-file", "-"], {
    stdin: JSON.stringify([{ ManagerID: "bmc", Payload: { ServiceIdentification: "rack 7" } }]),
  });
  t.equal(created.code, 0, created.stderr);
  const jobId = String((JSON.parse(created.stdout) as { Id: string }).Id);

  t.test("removing a machine a job uses names the job and --force", async (t) => {
    const r = await bench.shoal(["machines", "remove", "sim-1"]);
    t.equal(r.code, 2);
    t.match(r.stderr, `Job 'slow one' (${jobId}) targets machine 'sim-1'`);
    t.match(r.stderr, "or remove it with --force");
    t.notMatch(r.stderr, "?force=true");
  });

  t.test("a trigger while the job runs says it is already running and how to follow the run", async (t) => {
    bench.fleet.byId("sim-1")?.setLatency(1500, ["PATCH"]);
    t.teardown(() => bench.fleet.byId("sim-1")?.setLatency(0));
    const first = await bench.shoal(["jobs", "trigger", jobId, "--json"]);
    t.equal(first.code, 0, first.stderr);
    const execId = String((JSON.parse(first.stdout) as { Id: string }).Id);
    const second = await bench.shoal(["jobs", "trigger", jobId]);
    t.equal(second.code, 3, "the run did not start");
    t.match(second.stderr, `Job "${jobId}" is already running`);
    t.match(second.stderr, `Execution ${execId} is in progress; follow it with: shoal executions follow ${jobId} ${execId}`);
    await bench.gateway.scheduler.waitForExecution(execId);
  });

  t.test("machines add without a password names --password-stdin", async (t) => {
    const r = await bench.shoal(["machines", "add", "--id", "x-1", "--endpoint", "http://127.0.0.1:9", "--bmc-user", "admin"]);
    t.equal(r.code, 2);
    t.match(r.stderr, /Password.*--password-stdin/);
  });

  t.test("--user is the gateway's user: machines add wants --bmc-user for the BMC's", async (t) => {
    const r = await bench.shoal(["machines", "add", "--id", "x-2", "--endpoint", "http://127.0.0.1:9", "--user", "admin", "--password-stdin"], { stdin: "pw" });
    t.equal(r.code, 2);
    t.match(r.stderr, "--bmc-user USER names the BMC's user; --user is the gateway's own user");
  });
});

t.test("a gateway that wants credentials: the CLI names --user, SHOAL_PASSWORD and --token", async (t) => {
  const g = await startRealGateway({ auth: { enabled: true, mode: "basic", basic: { username: "ops", password: "s3cret" }, tokens: [] } });
  t.teardown(() => g.close());
  const none = await run(["jobs", "list", "--url", g.url]);
  t.equal(none.code, 2);
  t.match(none.stderr, "This gateway wants credentials: --user USER with the password in env SHOAL_PASSWORD (basic auth), or --token TOKEN (env SHOAL_TOKEN).");
  const wrong = await run(["jobs", "list", "--url", g.url, "--user", "ops"], { env: { SHOAL_PASSWORD: "nope" } });
  t.match(wrong.stderr, "The gateway refused the credentials given");
  const right = await run(["jobs", "list", "--url", g.url, "--user", "ops"], { env: { SHOAL_PASSWORD: "s3cret" } });
  t.equal(right.code, 0, right.stderr);
});
