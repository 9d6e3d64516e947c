import t from "tap";
import type { Execution } from "../../src/executions/types.js";
import type { Job } from "../../src/jobs/types.js";
import { MemoryStore } from "../../src/store/memory-store.js";

function execution(id: string, jobId: string, at: number, state: Execution["state"] = "Completed"): Execution {
  const when = new Date(at).toISOString();
  return {
    id,
    jobId,
    trigger: "Schedule",
    initiatedBy: null,
    scheduledFor: when,
    startedAt: when,
    endedAt: state === "Running" ? null : when,
    state,
    health: "OK",
    percentComplete: 100,
    reason: null,
    steps: [],
  };
}

const job: Job = {
  id: "Job-1",
  name: "j",
  description: null,
  enabled: true,
  pausedReason: null,
  cancelled: false,
  schedule: { type: "Manual" },
  steps: [{ name: "s", action: "a", targets: ["m"], mode: "Sequential", continueOnFailure: false }],
  policy: { overlap: "Skip", misfire: "RunOnce" },
  createdAt: "2026-01-01T00:00:00.000Z",
  updatedAt: "2026-01-01T00:00:00.000Z",
  lastRunAt: null,
  nextRunAt: null,
  runCount: 0,
};

t.test("saves copies: changing the caller's object afterwards does not change the store", async (t) => {
  const store = new MemoryStore();
  await store.open();
  const mine = structuredClone(job);
  await store.saveJob(mine);
  mine.name = "changed";
  mine.steps[0]!.targets.push("x");
  t.same(store.listJobs(), [job]);
  const e = execution("Exec-1", job.id, 1_000, "Running");
  await store.saveExecution(e);
  e.state = "Completed";
  t.equal(store.getExecution("Exec-1")?.state, "Running");
});

t.test("lists executions newest first, by job and state, with paging", async (t) => {
  const store = new MemoryStore({ now: () => 10_000 });
  await store.saveExecution(execution("Exec-a", "Job-1", 1_000));
  await store.saveExecution(execution("Exec-b", "Job-2", 3_000, "Failed"));
  await store.saveExecution(execution("Exec-c", "Job-1", 2_000, "Failed"));
  t.same(store.listExecutions().items.map((e) => e.id), ["Exec-b", "Exec-c", "Exec-a"]);
  t.same(store.listExecutions({ jobId: "Job-1" }).items.map((e) => e.id), ["Exec-c", "Exec-a"]);
  t.same(store.listExecutions({ state: "Failed" }).items.map((e) => e.id), ["Exec-b", "Exec-c"]);
  const page = store.listExecutions({ offset: 1, limit: 1 });
  t.same([page.total, page.items.map((e) => e.id)], [3, ["Exec-c"]]);
  await store.saveExecution({ ...execution("Exec-a", "Job-1", 1_000), state: "Failed" });
  t.equal(store.listExecutions().total, 3, "saving again replaces by id");
});

t.test("keeps at most maxPerJob executions per job, dropping the oldest finished ones", async (t) => {
  const store = new MemoryStore({ retention: { maxPerJob: 3 }, now: () => 10_000 });
  await store.saveExecution(execution("Exec-0", "Job-1", 0, "Running"));
  for (let i = 1; i <= 5; i++) await store.saveExecution(execution(`Exec-${i}`, "Job-1", i * 1_000));
  await store.saveExecution(execution("Exec-other", "Job-2", 0));
  t.same(store.listExecutions({ jobId: "Job-1" }).items.map((e) => e.id), ["Exec-5", "Exec-4", "Exec-0"], "a running one is never pruned");
  t.equal(store.listExecutions({ jobId: "Job-2" }).total, 1);
});

t.test("drops finished executions older than maxAgeMs", async (t) => {
  let now = 10 * 86_400_000;
  const store = new MemoryStore({ retention: { maxAgeMs: 86_400_000 }, now: () => now });
  await store.saveExecution(execution("Exec-old", "Job-1", now - 2 * 86_400_000));
  await store.saveExecution(execution("Exec-old-running", "Job-1", now - 2 * 86_400_000, "Running"));
  now += 120_000;
  await store.saveExecution(execution("Exec-new", "Job-1", now));
  t.same(store.listExecutions().items.map((e) => e.id).sort(), ["Exec-new", "Exec-old-running"]);
});

t.test("drops old executions whatever shape their timestamps take, and keeps the young ones", async (t) => {
  const now = 10 * 86_400_000;
  const store = new MemoryStore({ retention: { maxAgeMs: 86_400_000 }, now: () => now });
  const stamped = (id: string, endedAt: string): Execution => ({ ...execution(id, "Job-1", 0), endedAt });
  await store.saveExecution(stamped("Exec-canonical-old", new Date(now - 2 * 86_400_000).toISOString()));
  await store.saveExecution(stamped("Exec-offset-old", "1970-01-08T01:00:00+01:00"));
  await store.saveExecution(stamped("Exec-offset-young", "1970-01-10T01:30:00+01:00"));
  await store.saveExecution(stamped("Exec-canonical-young", new Date(now - 60_000).toISOString()));
  t.same(store.listExecutions().items.map((e) => e.id).sort(), ["Exec-canonical-young", "Exec-offset-young"]);
});

t.test("deleting a job removes its executions", async (t) => {
  const store = new MemoryStore({ now: () => 10_000 });
  await store.saveJob(job);
  await store.saveExecution(execution("Exec-1", job.id, 1));
  await store.deleteJob(job.id);
  t.same(store.listJobs(), []);
  t.equal(store.getExecution("Exec-1"), undefined);
  t.equal(store.listExecutions().total, 0);
});

t.test("keeps an embedder's records by kind; data survives close and reopen", async (t) => {
  const store = new MemoryStore();
  await store.open();
  await store.saveRecord("machines", "server-1", { host: "10.0.0.1" });
  await store.saveRecord("machines", "server-2", { host: "10.0.0.2" });
  await store.deleteRecord("machines", "server-1");
  await store.saveJob(job);
  await store.close();
  await store.open();
  t.same(store.listRecords("machines"), [{ host: "10.0.0.2" }]);
  t.same(store.listRecords("nothing"), []);
  t.equal(store.listJobs().length, 1);
});
