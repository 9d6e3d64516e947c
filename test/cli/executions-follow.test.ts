/**
 * `executions follow` attaches to a run in progress (the newest by default),
 * prints a line per machine as it ends, failures in red on a terminal, and
 * ends with the outcome and the exit code of `jobs trigger --wait`.
 * In-process against a real gateway and simulated BMCs.
 */
import t from "tap";
import { plain } from "./helpers.js";
import { startBench } from "./harness-operator.js";
import { until } from "../helpers/until.js";

t.test("follow reattaches to a running execution and reports each machine as it ends", async (t) => {
  const bench = await startBench(3);
  t.teardown(() => bench.close());
  await bench.registerFleet();
  const dead = await bench.shoal(["machines", "add", "--id", "dead", "--endpoint", "http://127.0.0.1:9", "--bmc-user", "admin", "--password-stdin"], { stdin: "x" });
  t.equal(dead.code, 0, dead.stderr);
  const created = await bench.shoal(["jobs", "create", "--name", "followed", "--action", "PatchProfile", "--machines", "sim-1,sim-2,sim-3,dead", "--manual", "--payload-file", "-", "--json"], {
    stdin: JSON.stringify([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]),
  });
  const jobId = String((JSON.parse(created.stdout) as { Id: string }).Id);

  const none = await bench.shoal(["executions", "follow", jobId]);
  t.equal(none.code, 2);
  t.match(none.stderr, `job ${jobId} has no executions yet; start one with: shoal jobs trigger ${jobId} --wait`);

  // sim-3 never answers a PATCH, so the run is still going when follow attaches; it ends when cancelled.
  await bench.fleet.byId("sim-3")?.setFault({ kind: "hang", methods: ["PATCH"] });
  const triggered = await bench.shoal(["jobs", "trigger", jobId, "--json"]);
  const execId = String((JSON.parse(triggered.stdout) as { Id: string }).Id);
  let printed = 0;
  const following = bench.shoal(["executions", "follow", jobId, "--interval", "50"], {
    tty: 200,
    onStdout: (text) => (printed = text.split("\n").length - 1),
  });

  const ended = (): number =>
    bench.gateway.scheduler.getExecution(execId).steps.flatMap((s) => s.targets).filter((x) => x.status !== "Pending" && x.status !== "Running").length;
  // Cancel only once follow has printed the three machines that ended: cancelling earlier would end
  // sim-3 in the same poll as a machine follow has not reported yet, and the order would be a coin toss.
  await until(() => ended() === 3 && printed === 3, { timeoutMs: 60_000 });
  t.equal(ended(), 3, "three machines ended; sim-3 hangs");
  t.equal((await bench.shoal(["executions", "cancel", jobId, execId])).code, 0);

  const followed = await following;
  t.equal(followed.code, 3, "the run was cancelled");
  t.match(followed.stderr, `Following execution ${execId} of job ${jobId}`);
  const lines = plain(followed.stdout).trim().split("\n");
  t.equal(lines.length, 5, "one line per machine, then the outcome");
  t.same(lines.slice(0, 4).map((l) => l.split("  ")[1]).sort(), ["dead", "sim-1", "sim-2", "sim-3"], "each machine once");
  t.match(lines[3], /sim-3 {2}(Cancelled|Error|Unknown)/, "the hung machine ends last, with the run");
  t.match(lines[4], `Execution ${execId} of job ${jobId}: Cancelled`);
  const deadLine = followed.stdout.split("\n").find((l) => l.includes("dead"));
  t.match(deadLine, /^\u001b\[31m.*dead {2}Error {2}ConnectionRefused/, "a failure is red on a terminal");

  const again = await bench.shoal(["executions", "follow", jobId, execId, "--json"]);
  t.equal(again.code, 3, "an ended run is shown at once");
  const records = again.stdout.trim().split("\n").map((l) => JSON.parse(l) as { MachineId: string; Status: string });
  t.same(records.map((r) => `${r.MachineId}:${r.Status}`).sort(), ["dead:Error", "sim-1:Success", "sim-2:Success", `sim-3:${records.find((r) => r.MachineId === "sim-3")?.Status}`]);
});

t.test("follow learns of each machine from the event stream: the run is read three times however long it lasts", async (t) => {
  const bench = await startBench(2);
  t.teardown(() => bench.close());
  await bench.registerFleet();
  const created = await bench.shoal(["jobs", "create", "--name", "streamed", "--action", "PatchProfile", "--machines", "sim-1,sim-2", "--manual", "--payload-file", "-", "--json"], {
    stdin: JSON.stringify([{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }]),
  });
  const jobId = String((JSON.parse(created.stdout) as { Id: string }).Id);
  // sim-2 answers its PATCH late: polled every 50 ms, the run would be read dozens of times.
  bench.fleet.byId("sim-2")?.setLatency(1500, ["PATCH"]);
  const triggered = await bench.shoal(["jobs", "trigger", jobId, "--json"]);
  const execId = String((JSON.parse(triggered.stdout) as { Id: string }).Id);
  const executionPath = `/MultiFish/v1/JobService/Jobs/${jobId}/Executions/${execId}`;
  const from = bench.gateway.logLines.length;
  const followed = await bench.shoal(["executions", "follow", jobId, execId, "--interval", "50"]);
  const requests = bench.gateway.logLines
    .slice(from)
    .map((l) => JSON.parse(l) as { msg?: string; method?: string; path?: string })
    .filter((r) => r.msg === "request");

  t.equal(followed.code, 0, followed.stderr);
  const lines = plain(followed.stdout).trim().split("\n");
  t.same(lines.slice(0, 2).map((l) => l.split("  ").slice(1, 3).join(" ")), ["sim-1 Success", "sim-2 Success"], "a line per machine as it ends");
  t.match(lines[2], `Execution ${execId} of job ${jobId}: Completed, health OK: 2 machines, 2 ok, 0 failed`);
  t.equal(requests.filter((r) => r.method === "GET" && r.path === "/redfish/v1/EventService/SSE").length, 1, "one stream");
  t.equal(requests.filter((r) => r.method === "GET" && r.path === executionPath).length, 3, "the run read to start, once the stream is open, and at its end");
});
