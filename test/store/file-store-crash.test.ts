import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import t from "tap";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";
import { tempDir } from "../helpers/temp-dir.js";
import { until } from "../helpers/until.js";
import { NODE, nodeArgs } from "../helpers/node-child.js";

const child = join(dirname(fileURLToPath(import.meta.url)), "crash-child.js");

function tempPath(): string {
  return join(tempDir("shoal-crash-"), "shoal.json");
}

/** Runs the child until `enough(lines)` is true, then kills it with SIGKILL; resolves with every line it printed. */
function runAndKill(args: string[], enough: (lines: string[]) => boolean, env: Record<string, string> = {}): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const proc = spawn(NODE, nodeArgs([child, ...args]), { stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, ...env } });
    const lines: string[] = [];
    let partial = "";
    let killed = false;
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (chunk: string) => {
      const parts = (partial + chunk).split("\n");
      partial = parts.pop() ?? "";
      lines.push(...parts);
      if (!killed && enough(lines)) {
        killed = true;
        proc.kill("SIGKILL");
      }
    });
    proc.on("error", reject);
    proc.on("exit", (code, signal) => {
      if (signal === "SIGKILL") resolve(lines);
      else reject(new Error(`child exited by itself (code ${code}) after ${lines.length} lines`));
    });
  });
}

for (const round of [1, 2, 3]) {
  t.test(`kill -9 mid-burst (round ${round}): every job whose creation resolved is in the file`, async (t) => {
    const path = tempPath();
    const threshold = 150 + round * 100;
    // Rounds 2 and 3 compact every ~20 KB, so the kill can land while a journal is sealed or a snapshot written.
    const env: Record<string, string> = round === 1 ? {} : { CRASH_COMPACT_BYTES: "20000" };
    const lines = await runAndKill(["burst", path], (l) => l.length >= threshold, env);
    const printed = lines.filter((l) => l.startsWith("job ")).map((l) => l.slice(4));
    t.ok(printed.length >= threshold, `${printed.length} jobs acknowledged before the kill`);

    const store = new FileStore({ path });
    await store.open(); // parses the snapshot and replays the journal; throws on anything but a torn tail
    const stored = new Set(store.listJobs().map((j) => j.id));
    const missing = printed.filter((id) => !stored.has(id));
    t.same(missing, [], "no acknowledged job lost");
    await store.close();
  });
}

t.test("after kill -9, a cut-off run is Interrupted and a run due meanwhile follows its misfire policy once", async (t) => {
  const path = tempPath();
  // Due two seconds from now, to the second; the child's clock never reaches it (see crash-child.ts).
  const due = new Date(Math.ceil((Date.now() + 2000) / 1000) * 1000);
  const lines = await runAndKill(["running", path, due.toISOString()], (l) => l.some((x) => x.startsWith("ready ")));
  const [, executionId, runOnceId, skipId] = lines.find((l) => l.startsWith("ready "))!.split(" ");

  await until(() => Date.now() > due.getTime(), { what: "the Once jobs' due time to pass" });

  const store = new FileStore({ path });
  const scheduler = new Scheduler({ store, timeZone: "UTC" });
  const ran: string[] = [];
  scheduler.defineAction("work", {
    async run(ctx) {
      ran.push(`${ctx.job.id} ${ctx.execution.trigger}`);
    },
  });
  const caughtUp = new Promise((resolve) => scheduler.on("executionFinished", (e) => e.jobId === runOnceId && resolve(e)));
  const skipped = new Promise((resolve) => scheduler.on("executionSkipped", (e) => e.jobId === skipId && resolve(e)));
  await scheduler.start();
  await Promise.all([caughtUp, skipped]);

  t.match(scheduler.getExecution(executionId!), { state: "Interrupted", reason: "ProcessRestarted" });
  t.same(ran, [`${runOnceId} CatchUp`], "RunOnce: exactly one catch-up run");
  const runOnceHistory = scheduler.listExecutions({ jobId: runOnceId! }).items;
  t.equal(runOnceHistory.length, 1);
  const skipHistory = scheduler.listExecutions({ jobId: skipId! }).items;
  t.same(
    skipHistory.map((e) => [e.state, e.reason]),
    [["Skipped", "Misfire"]],
    "Skip: one skipped record",
  );
  t.equal(scheduler.getJob(runOnceId!).nextRunAt, null, "a Once job has nothing left after its catch-up");
  await scheduler.stop({ graceMs: 0 });
  await store.close();
});

t.test("kill -9 mid-run keeps every finished target's outcome: the Interrupted run lists them, in-flight ones Unknown, the rest Cancelled", async (t) => {
  const path = tempPath();
  const lines = await runAndKill(["progress", path], (l) => l.filter((x) => x.startsWith("durable ")).length >= 20);
  const [, jobId, executionId] = lines.find((l) => l.startsWith("run "))!.split(" ");
  const durable = lines.filter((l) => l.startsWith("durable ")).map((l) => l.slice(8));
  t.equal(durable.length, 20);

  const store = new FileStore({ path });
  const scheduler = new Scheduler({ store, timeZone: "UTC" });
  scheduler.defineAction("some-answer", { run: async () => "unused" });
  const recovered: string[] = [];
  scheduler.on("executionInterrupted", (e) => recovered.push(`${e.id} ${e.state}`));
  await scheduler.start();
  t.same(recovered, [`${executionId} Interrupted`], "the recovery is announced, for the gateway's summary file");

  const run = scheduler.getExecution(executionId!);
  t.equal(run.jobId, jobId);
  t.match(run, { state: "Interrupted", reason: "ProcessRestarted" });
  const status = new Map(run.steps[0]!.targets.map((x) => [x.target, x.status]));
  t.same(durable.filter((target) => status.get(target) !== "Success"), [], "every target that had finished is Success");
  const counts: Record<string, number> = {};
  for (const s of status.values()) counts[s] = (counts[s] ?? 0) + 1;
  t.same(counts, { Success: 20, Unknown: 4, Cancelled: 16 }, "4 requests were out when the process died, 16 never started");
  t.equal(run.percentComplete, 60, "finished and Unknown targets count as done");
  t.equal(run.health, "Warning", "never OK with outcomes not known");
  t.match(run.steps[0]!.targets.find((x) => x.status === "Unknown")!.error, { type: "Unknown" });
  await scheduler.stop({ graceMs: 0 });
  await store.close();
});
