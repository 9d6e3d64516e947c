/**
 * What every Store must do, whatever keeps its data: one suite that the
 * MemoryStore, the FileStore and the PgStore each pass (contract.test.ts and
 * test/postgres/pg-store.test.ts run it).
 */
import type { Test } from "tap";
import type { Store, RetentionPolicy } from "../../src/store/store.js";
import { makeExecution, makeJob } from "../helpers/records.js";

export interface StoreMaker {
  /** A new, empty store location, opened. */
  fresh(options?: { retention?: Partial<RetentionPolicy>; now?: () => number }): Promise<Store>;
  /** The same location as `store` after a restart: a new instance where the store is durable, the same one reopened otherwise. */
  reopen(store: Store): Promise<Store>;
}

const DAY = 86_400_000;
/** Near the records' dates, so age-based retention leaves them alone unless a test says otherwise. */
const NEAR = () => Date.parse("2026-01-05T00:00:00Z");

export function storeContract(t: Test, maker: StoreMaker): void {
  t.test("jobs, executions and records written come back after a restart", async (t) => {
    const store = await maker.fresh({ now: NEAR });
    await store.saveJob(makeJob("Job-a"));
    await store.saveJob(makeJob("Job-b", { enabled: false, pausedReason: "maintenance" }));
    await store.saveExecution(makeExecution("Exec-1", "Job-a", "2026-01-01T22:00:00.000Z"));
    await store.saveRecord("machine", "server-1", { id: "server-1", password: "x" });
    await store.saveRecord("machine", "server-2", { id: "server-2" });
    await store.deleteRecord("machine", "server-1");
    await store.deleteJob("Job-b");
    const again = await maker.reopen(store);
    t.same(again.listJobs(), [makeJob("Job-a")]);
    t.same(again.getExecution("Exec-1"), makeExecution("Exec-1", "Job-a", "2026-01-01T22:00:00.000Z"));
    t.same(again.listRecords("machine"), [{ id: "server-2" }]);
    t.same(again.listRecords("nothing"), []);
    await again.close();
  });

  t.test("lists executions newest first, by job and by state, with paging; saving again replaces by id", async (t) => {
    const store = await maker.fresh({ now: NEAR });
    await store.saveExecution(makeExecution("Exec-a", "Job-1", "2026-01-01T01:00:00.000Z"));
    await store.saveExecution(makeExecution("Exec-b", "Job-2", "2026-01-01T03:00:00.000Z", "Failed"));
    await store.saveExecution(makeExecution("Exec-c", "Job-1", "2026-01-01T02:00:00.000Z", "Failed"));
    const check = (s: Store, label: string): void => {
      t.same(s.listExecutions().items.map((e) => e.id), ["Exec-b", "Exec-c", "Exec-a"], label);
      t.same(s.listExecutions({ jobId: "Job-1" }).items.map((e) => e.id), ["Exec-c", "Exec-a"], label);
      t.same(s.listExecutions({ state: "Failed" }).items.map((e) => e.id), ["Exec-b", "Exec-c"], label);
      const page = s.listExecutions({ offset: 1, limit: 1 });
      t.same([page.total, page.items.map((e) => e.id)], [3, ["Exec-c"]], label);
    };
    check(store, "live");
    await store.saveExecution(makeExecution("Exec-a", "Job-1", "2026-01-01T01:00:00.000Z", "Failed"));
    t.equal(store.listExecutions().total, 3, "saving again replaces by id");
    const again = await maker.reopen(store);
    t.same(again.listExecutions({ state: "Failed" }).items.map((e) => e.id), ["Exec-b", "Exec-c", "Exec-a"], "after a restart");
    await again.close();
  });

  t.test("keeps at most maxPerJob executions per job, dropping the oldest finished ones, also after a restart", async (t) => {
    const store = await maker.fresh({ retention: { maxPerJob: 3 }, now: NEAR });
    await store.saveExecution(makeExecution("Exec-0", "Job-1", "2026-01-01T00:00:00.000Z", "Running"));
    for (let i = 1; i <= 5; i++) await store.saveExecution(makeExecution(`Exec-${i}`, "Job-1", `2026-01-01T0${i}:00:00.000Z`));
    await store.saveExecution(makeExecution("Exec-other", "Job-2", "2026-01-01T00:00:00.000Z"));
    const expected = ["Exec-5", "Exec-4", "Exec-0"];
    t.same(store.listExecutions({ jobId: "Job-1" }).items.map((e) => e.id), expected, "a running one is never pruned");
    t.equal(store.listExecutions({ jobId: "Job-2" }).total, 1);
    await store.flush();
    const again = await maker.reopen(store);
    t.same(again.listExecutions({ jobId: "Job-1" }).items.map((e) => e.id), expected, "the pruning was stored too");
    await again.close();
  });

  t.test("a Halted run waits for its resume or revert: the count limit drops other runs first (as for a running one), the age limit takes it", async (t) => {
    let now = Date.parse("2026-01-10T00:00:00Z");
    const store = await maker.fresh({ retention: { maxPerJob: 2, maxAgeMs: 30 * DAY }, now: () => now });
    await store.saveExecution(makeExecution("Exec-halted", "Job-1", "2026-01-09T00:00:00.000Z", "Halted"));
    for (let i = 1; i <= 3; i++) await store.saveExecution(makeExecution(`Exec-${i}`, "Job-1", `2026-01-09T0${i}:00:00.000Z`));
    t.same(store.listExecutions({ jobId: "Job-1" }).items.map((e) => e.id), ["Exec-3", "Exec-halted"], "newer finished runs go first");
    await store.flush();
    const again = await maker.reopen(store);
    t.ok(again.getExecution("Exec-halted"), "still there after a restart");
    now += 31 * DAY;
    await again.saveExecution(makeExecution("Exec-late", "Job-1", new Date(now).toISOString()));
    t.same(again.listExecutions({ jobId: "Job-1" }).items.map((e) => e.id), ["Exec-late"], "a month on, age takes it like any finished run");
    await again.close();
  });

  t.test("drops finished executions older than maxAgeMs", async (t) => {
    let now = Date.parse("2026-01-10T00:00:00Z");
    const store = await maker.fresh({ retention: { maxAgeMs: DAY }, now: () => now });
    await store.saveExecution(makeExecution("Exec-old", "Job-1", new Date(now - 2 * DAY).toISOString()));
    await store.saveExecution(makeExecution("Exec-old-running", "Job-1", new Date(now - 2 * DAY).toISOString(), "Running"));
    now += 120_000;
    await store.saveExecution(makeExecution("Exec-new", "Job-1", new Date(now).toISOString()));
    t.same(store.listExecutions().items.map((e) => e.id).sort(), ["Exec-new", "Exec-old-running"]);
    await store.close();
  });

  t.test("deleting a job removes its executions, durably", async (t) => {
    const store = await maker.fresh({ now: NEAR });
    await store.saveJob(makeJob("Job-1"));
    await store.saveExecution(makeExecution("Exec-1", "Job-1", "2026-01-01T00:00:00.000Z"));
    await store.saveExecution(makeExecution("Exec-2", "Job-2", "2026-01-01T00:00:00.000Z"));
    await store.deleteJob("Job-1");
    t.equal(store.getExecution("Exec-1"), undefined);
    const again = await maker.reopen(store);
    t.same(again.listJobs(), []);
    t.same(again.listExecutions().items.map((e) => e.id), ["Exec-2"]);
    await again.close();
  });

  t.test("a run's bookkeeping (saveJobRun) changes only nextRunAt, lastRunAt and runCount, durably, and leaves an unknown job alone", async (t) => {
    const store = await maker.fresh({ now: NEAR });
    const job = makeJob("Job-a", { description: "kept" });
    await store.saveJob(job);
    const run = { nextRunAt: "2026-01-02T00:00:00.000Z", lastRunAt: "2026-01-01T00:00:00.000Z", runCount: 7 };
    t.ok(store.saveJobRun, "the store records a run's bookkeeping on its own");
    await store.saveJobRun!("Job-a", run);
    await store.saveJobRun!("Job-unknown", run);
    const expected = { ...job, ...run };
    t.same(store.listJobs(), [expected]);
    await store.saveJob(makeJob("Job-b"));
    await store.saveJobRun!("Job-b", { ...run, runCount: 1 });
    await store.saveJobRun!("Job-b", { ...run, runCount: 2 });
    const again = await maker.reopen(store);
    t.same(
      again.listJobs().sort((a, b) => a.id.localeCompare(b.id)),
      [expected, { ...makeJob("Job-b"), ...run, runCount: 2 }],
      "after a restart, the last bookkeeping of each job on top of the job as saved",
    );
    await again.close();
  });

  t.test("a burst of unawaited writes is durable once flush resolves, the last write of each winning", async (t) => {
    const store = await maker.fresh({ now: NEAR });
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      writes.push(store.saveRecord("counter", `c${i % 10}`, { value: i }));
      if (i % 7 === 0) writes.push(store.saveJob(makeJob(`Job-${i % 3}`, { runCount: i })));
    }
    await store.flush();
    t.equal((await Promise.allSettled(writes)).filter((w) => w.status === "rejected").length, 0, "every write resolved");
    const again = await maker.reopen(store);
    const values = again.listRecords<{ value: number }>("counter").map((r) => r.value).sort((a, b) => a - b);
    t.same(values, [290, 291, 292, 293, 294, 295, 296, 297, 298, 299]);
    const runCounts = Object.fromEntries(again.listJobs().map((j) => [j.id, j.runCount]));
    t.same(runCounts, { "Job-0": 294, "Job-1": 280, "Job-2": 287 });
    await again.close();
  });
}
