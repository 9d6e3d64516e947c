import t from "tap";
import type { Execution } from "../../src/executions/types.js";
import type { Job } from "../../src/jobs/types.js";
import { settle } from "../../src/scheduler/clock.js";
import { silentLogger } from "../../src/scheduler/logger.js";
import { WriteBatch } from "../../src/scheduler/write-batch.js";
import { MemoryStore } from "../../src/store/memory-store.js";

/** A memory store that counts the executions it is asked to save. */
class CountingStore extends MemoryStore {
  saved: string[] = [];
  failNext = false;
  override saveExecution(execution: Execution): Promise<void> {
    this.saved.push(`${execution.id}:${execution.state}`);
    if (this.failNext) {
      this.failNext = false;
      return Promise.reject(new Error("disk full"));
    }
    return super.saveExecution(execution);
  }
}

function record(id: string, state: Execution["state"]): Execution {
  return {
    id,
    jobId: "Job-1",
    trigger: "Schedule",
    initiatedBy: null,
    scheduledFor: "2026-01-01T00:00:00.000Z",
    startedAt: "2026-01-01T00:00:00.000Z",
    endedAt: null,
    state,
    health: null,
    percentComplete: 0,
    reason: null,
    steps: [],
  };
}

const jobs = new Map<string, Job>([["Job-1", { id: "Job-1" } as Job]]);

async function until(condition: () => boolean): Promise<void> {
  for (let turns = 0; !condition() && turns < 100_000; turns++) await settle();
}

t.test("a run's final record is written with the batch, and its save resolves once the store has it", async (t) => {
  const store = new CountingStore({ now: () => Date.parse("2026-01-01T01:00:00Z") });
  const batch = new WriteBatch({ store, logger: silentLogger, jobs });
  const running = record("Exec-1", "Running");
  batch.addExecution(running);
  t.ok(batch.holds("Exec-1"), "the batch carries the record");
  running.state = "Completed";
  let saved = false;
  const save = batch.save(running).then(() => (saved = true));
  t.equal(batch.getExecution("Exec-1")?.state, "Completed", "reads see the final record before it is written");
  t.notOk(saved);
  await save;
  t.same(store.saved, ["Exec-1:Completed"], "one write, of the final state");
  t.equal(store.getExecution("Exec-1")?.state, "Completed");
});

t.test("a final save that fails rejects for whoever waits on it", async (t) => {
  const store = new CountingStore({ now: () => Date.parse("2026-01-01T01:00:00Z") });
  store.failNext = true;
  const batch = new WriteBatch({ store, logger: silentLogger, jobs });
  await t.rejects(batch.save(record("Exec-1", "Failed")), /disk full/);
});

t.test("while a burst of due runs is being handed out the batch waits, then writes", async (t) => {
  const store = new CountingStore({ now: () => Date.parse("2026-01-01T01:00:00Z") });
  let busy = true;
  const batch = new WriteBatch({ store, logger: silentLogger, jobs, busy: () => busy });
  batch.addExecution(record("Exec-1", "Running"));
  for (let i = 0; i < 5; i++) await settle();
  t.same(store.saved, [], "nothing written while runs are still being started");
  busy = false;
  await until(() => store.saved.length > 0);
  t.same(store.saved, ["Exec-1:Running"], "written once the burst is out");
});

t.test("a burst that goes on does not hold the writes back for long", async (t) => {
  const store = new CountingStore({ now: () => Date.parse("2026-01-01T01:00:00Z") });
  const batch = new WriteBatch({ store, logger: silentLogger, jobs, busy: () => true });
  batch.addExecution(record("Exec-1", "Running"));
  await until(() => store.saved.length > 0);
  t.same(store.saved, ["Exec-1:Running"]);
});

t.test("flush writes at once, busy or not", async (t) => {
  const store = new CountingStore({ now: () => Date.parse("2026-01-01T01:00:00Z") });
  const batch = new WriteBatch({ store, logger: silentLogger, jobs, busy: () => true });
  batch.addExecution(record("Exec-1", "Running"));
  await batch.flush();
  t.same(store.saved, ["Exec-1:Running"]);
});
