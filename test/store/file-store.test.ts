import { readFileSync, readdirSync, statSync, writeFileSync, appendFileSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { ShoalError } from "../../src/errors.js";
import { ManualClock } from "../../src/scheduler/clock.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { FileStore } from "../../src/store/file-store.js";
import { playProcessDeath } from "../helpers/process-death.js";
import { makeExecution, makeJob } from "../helpers/records.js";
import { tempDir } from "../helpers/temp-dir.js";

function tempPath(): string {
  return join(tempDir("shoal-store-"), "state", "shoal.json");
}

async function opened(path: string, options: Partial<ConstructorParameters<typeof FileStore>[0]> = {}) {
  // Fixed "now" near the records' dates, so age-based retention leaves them alone.
  const store = new FileStore({ path, now: () => Date.parse("2026-01-05T00:00:00Z"), ...options });
  await store.open();
  return store;
}

t.test("a missing file starts empty and is created 0600 in a 0700 directory", async (t) => {
  const path = tempPath();
  const store = await opened(path);
  t.same(store.listJobs(), []);
  t.equal(statSync(path).mode & 0o777, 0o600);
  t.equal(statSync(`${path}.journal`).mode & 0o777, 0o600);
  t.equal(statSync(join(path, "..")).mode & 0o777, 0o700);
  await store.saveRecord("machine", "m1", { id: "m1" });
  await store.close();
  t.equal(statSync(path).mode & 0o777, 0o600, "still 0600 after a snapshot rewrite");
});

t.test("jobs, executions and records written before close come back after reopening", async (t) => {
  const path = tempPath();
  const store = await opened(path);
  await store.saveJob(makeJob("Job-a"));
  await store.saveJob(makeJob("Job-b", { enabled: false, pausedReason: "maintenance" }));
  await store.saveExecution(makeExecution("Exec-1", "Job-a", "2026-01-01T22:00:00.000Z"));
  await store.saveRecord("machine", "server-1", { id: "server-1", password: "x" });
  await store.deleteJob("Job-b");
  await store.close();

  const again = await opened(path);
  t.same(again.listJobs().map((j) => j.id), ["Job-a"]);
  t.same(again.listJobs()[0], makeJob("Job-a"));
  t.equal(again.getExecution("Exec-1")?.state, "Completed");
  t.same(again.listRecords("machine"), [{ id: "server-1", password: "x" }]);
  await again.close();
});

t.test("an acknowledged write survives without close: the journal is replayed", async (t) => {
  const path = tempPath();
  const store = await opened(path);
  await store.saveJob(makeJob("Job-a"));
  await store.saveJob(makeJob("Job-a", { name: "renamed" }));
  // No close: as if the process died here.
  playProcessDeath(path);
  const again = await opened(path);
  t.equal(again.listJobs()[0]?.name, "renamed");
  await again.close();
  await store.close().catch(() => undefined);
});

t.test("a burst of 1 000 writes issued together costs a handful of file writes", async (t) => {
  const store = await opened(tempPath());
  const before = store.stats;
  await Promise.all(Array.from({ length: 1000 }, (_, i) => store.saveJob(makeJob(`Job-${i}`))));
  const after = store.stats;
  t.equal(after.changes - before.changes, 1000);
  t.ok(after.journalWrites - before.journalWrites <= 3, `journal writes: ${after.journalWrites - before.journalWrites}`);
  t.equal(store.listJobs().length, 1000);
  await store.close();
});

t.test("writes awaited one by one each reach the disk before resolving", async (t) => {
  const path = tempPath();
  const store = await opened(path);
  for (let i = 0; i < 5; i++) {
    await store.saveJob(makeJob(`Job-${i}`));
    const lines = readFileSync(`${path}.journal`, "utf8").trim().split("\n");
    t.equal(lines.length, i + 1);
  }
  await store.close();
});

t.test("a big journal is folded into a new snapshot", async (t) => {
  const path = tempPath();
  const store = await opened(path, { compactAfterBytes: 10_000, compactWhenQuietMs: 0 });
  for (let i = 0; i < 50; i++) await store.saveJob(makeJob(`Job-${i}`));
  t.ok(store.stats.snapshotWrites >= 2, "compacted at least once after the initial snapshot");
  t.ok(statSync(`${path}.journal`).size < 20_000);
  playProcessDeath(path);
  const again = await opened(path);
  t.equal(again.listJobs().length, 50);
  await again.close();
  await store.close();
});

t.test("retention keeps the newest executions per job and never a running one", async (t) => {
  const now = Date.parse("2026-06-01T00:00:00Z");
  const store = await opened(tempPath(), { retention: { maxPerJob: 3, maxAgeMs: 10 * 86_400_000 }, now: () => now });
  await store.saveExecution(makeExecution("Exec-run", "Job-a", "2026-05-30T00:00:00.000Z", "Running"));
  for (let i = 1; i <= 5; i++) {
    await store.saveExecution(makeExecution(`Exec-${i}`, "Job-a", `2026-05-30T0${i}:00:00.000Z`));
  }
  await store.saveExecution(makeExecution("Exec-old", "Job-b", "2026-05-01T00:00:00.000Z"));
  await store.saveExecution(makeExecution("Exec-new", "Job-b", "2026-05-31T00:00:00.000Z"));
  await store.flush();
  const kept = store.listExecutions({ jobId: "Job-a" }).items.map((e) => e.id);
  t.ok(kept.includes("Exec-run"), "the running execution is kept");
  t.same(kept, ["Exec-5", "Exec-4", "Exec-run"], "three in all: the two newest finished and the running one");
  t.same(store.listExecutions({ jobId: "Job-b" }).items.map((e) => e.id), ["Exec-new"], "older than 10 days pruned");
  await store.close();
});

t.test("execution listing filters by job and state and pages newest first", async (t) => {
  const store = await opened(tempPath());
  await store.saveExecution(makeExecution("Exec-1", "Job-a", "2026-01-01T00:00:00.000Z"));
  await store.saveExecution(makeExecution("Exec-2", "Job-b", "2026-01-02T00:00:00.000Z", "Failed"));
  await store.saveExecution(makeExecution("Exec-3", "Job-a", "2026-01-03T00:00:00.000Z"));
  t.same(store.listExecutions().items.map((e) => e.id), ["Exec-3", "Exec-2", "Exec-1"]);
  t.same(store.listExecutions({ state: "Failed" }).items.map((e) => e.id), ["Exec-2"]);
  const page = store.listExecutions({ offset: 1, limit: 1 });
  t.same([page.items.map((e) => e.id), page.total], [["Exec-2"], 3]);
  await store.deleteJob("Job-a");
  t.same(store.listExecutions().items.map((e) => e.id), ["Exec-2"], "deleting a job deletes its history");
  await store.close();
});

t.test("a torn last journal line (a crash mid-write) is dropped, earlier lines kept", async (t) => {
  const path = tempPath();
  const store = await opened(path);
  await store.saveJob(makeJob("Job-a"));
  appendFileSync(`${path}.journal`, '{"op":"putJob","job":{"id":"Job-b"');
  playProcessDeath(path);
  const again = await opened(path);
  t.same(again.listJobs().map((j) => j.id), ["Job-a"]);
  await again.saveJob(makeJob("Job-c"));
  playProcessDeath(path);
  const third = await opened(path);
  t.same(third.listJobs().map((j) => j.id).sort(), ["Job-a", "Job-c"], "the torn tail was cut, not built upon");
  await third.close();
});

for (const [what, content] of [
  ["an empty file", ""],
  ["a truncated file", '{"version":1,"jobs":[{"id":"Job-a"'],
  ["a file with no version", '{"jobs":[],"executions":[],"records":{}}'],
] as const) {
  t.test(`${what} refuses to open, names the file and leaves it untouched`, async (t) => {
    const path = tempPath();
    const store = await opened(path);
    await store.close();
    writeFileSync(path, content);
    const error = await new FileStore({ path }).open().then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(error, ShoalError);
    t.equal((error as ShoalError).code, "StoreError");
    t.match((error as Error).message, path);
    t.match((error as Error).message, "STORE_ON_CORRUPT=moveAside", "names the setting that moves it aside");
    t.equal(readFileSync(path, "utf8"), content);
  });
}

t.test("a file from a newer format version is refused", async (t) => {
  const path = tempPath();
  await (await opened(path)).close();
  writeFileSync(path, JSON.stringify({ version: 99, jobs: [], executions: [], records: {} }));
  await t.rejects(new FileStore({ path }).open(), /newer Shoal/);
});

t.test("a corrupt journal line in the middle refuses to open", async (t) => {
  const path = tempPath();
  const store = await opened(path);
  await store.saveJob(makeJob("Job-a"));
  appendFileSync(`${path}.journal`, "garbage\n" + JSON.stringify({ op: "deleteJob", id: "Job-a" }) + "\n");
  playProcessDeath(path);
  await t.rejects(new FileStore({ path }).open(), /journal/);
});

t.test("on request, a corrupt file is moved aside and the store starts empty", async (t) => {
  const path = tempPath();
  const store = await opened(path);
  await store.saveJob(makeJob("Job-a"));
  await store.close();
  writeFileSync(path, "{ not json");
  const fresh = await opened(path, { onCorrupt: "moveAside" });
  t.same(fresh.listJobs(), []);
  const aside = readdirSync(join(path, "..")).filter((f) => f.includes(".corrupt-"));
  t.ok(aside.some((f) => f.startsWith("shoal.json.corrupt-")), `moved aside: ${aside.join(", ")}`);
  await fresh.close();
});

t.test("writing after close is refused with a typed error", async (t) => {
  const store = await opened(tempPath());
  await store.close();
  await t.rejects(store.saveJob(makeJob("Job-a")), { code: "StoreError" });
});

t.test("a compaction cut short by a crash is finished on open: sealed journal, then journal, on top of the snapshot", async (t) => {
  const path = tempPath();
  const store = await opened(path);
  await store.saveJob(makeJob("Job-a"));
  await store.saveJob(makeJob("Job-b"));
  await store.close();
  // As a crash would leave it: a sealed journal not yet folded in, and newer lines after it.
  const line = (op: unknown) => JSON.stringify(op) + "\n";
  writeFileSync(`${path}.journal.1`, line({ op: "putJob", job: makeJob("Job-a", { name: "renamed" }) }) + line({ op: "deleteJob", id: "Job-b" }));
  writeFileSync(`${path}.journal`, line({ op: "putJob", job: makeJob("Job-c") }) + line({ op: "putJob", job: makeJob("Job-a", { name: "renamed again" }) }));
  const again = await opened(path);
  t.same(again.listJobs().map((j) => [j.id, j.name]).sort(), [["Job-a", "renamed again"], ["Job-c", "job Job-c"]]);
  t.notOk(readdirSync(join(path, "..")).includes("shoal.json.journal.1"), "the sealed journal was folded in and removed");
  await again.close();
  const third = await opened(path);
  t.same(third.listJobs().map((j) => j.id).sort(), ["Job-a", "Job-c"]);
  await third.close();
});

t.test("writes keep being acknowledged while a snapshot is written, and all of them survive", async (t) => {
  const path = tempPath();
  const store = await opened(path, { compactAfterBytes: 2_000, compactWhenQuietMs: 0 });
  for (let round = 0; round < 20; round++) {
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.saveJob(makeJob(`Job-${round}-${i}`))));
  }
  await store.flush();
  // How many snapshots overlap the writes depends on the disk's and CPU's speed; that one was written does not.
  t.ok(store.stats.snapshotWrites >= 1, `snapshots written: ${store.stats.snapshotWrites}`);
  playProcessDeath(path);
  const again = await opened(path);
  t.equal(again.listJobs().length, 400);
  await again.close();
  await store.close();
});

t.test("a scheduled run journals the job's bookkeeping in a short line, not the whole job", async (t) => {
  const path = tempPath();
  const clock = new ManualClock(Date.parse("2026-01-05T00:00:00Z"));
  const store = await opened(path, { now: () => clock.now() });
  const scheduler = new Scheduler({ timeZone: "UTC", clock, store });
  scheduler.defineAction("noop", { async run() {} });
  await scheduler.start();
  // A job whose own JSON is large: 50 kB of payload, as a fan-out job to thousands of machines is.
  const job = await scheduler.createJob({
    name: "big",
    schedule: { type: "Cron", cron: "* * * * *", timeZone: "UTC" },
    steps: [{ action: "noop", targets: ["m1"], payload: { note: "x".repeat(50_000) } }],
  });
  await store.flush();
  const before = statSync(`${path}.journal`).size;
  await clock.advance(60_000);
  const [run] = scheduler.listExecutions({ jobId: job.id }).items;
  await scheduler.waitForExecution(run!.id);
  await store.flush();
  const grown = statSync(`${path}.journal`).size - before;
  t.ok(grown < 10_000, `the run added ${grown} bytes to the journal`);
  await scheduler.stop();
  await store.close();
  const again = await opened(path);
  const saved = again.listJobs()[0]!;
  t.equal(saved.runCount, 1, "the bookkeeping is durable");
  t.equal(saved.lastRunAt, "2026-01-05T00:01:00.000Z");
  t.equal(saved.nextRunAt, "2026-01-05T00:02:00.000Z");
  t.equal((saved.steps[0]!.payload as { note: string }).note.length, 50_000, "on top of the job as it was saved");
  await again.close();
});
