import t from "tap";
import type { Execution } from "../../src/executions/types.js";
import { StoreState } from "../../src/store/store-state.js";
import type { RetentionPolicy } from "../../src/store/store.js";

const DAY = 86_400_000;
const START = Date.UTC(2026, 0, 1);

function run(id: string, minute: number, state: Execution["state"] = "Completed", endedMinute = minute): Execution {
  const due = new Date(START + minute * 60_000).toISOString();
  return {
    id,
    jobId: "Job-1",
    trigger: "Schedule",
    initiatedBy: null,
    scheduledFor: due,
    startedAt: due,
    endedAt: state === "Running" ? null : new Date(START + endedMinute * 60_000).toISOString(),
    state,
    health: null,
    percentComplete: 0,
    reason: null,
    steps: [],
  };
}

/** Saves the run as a store does (the change, then what retention drops), and returns what was dropped. */
function save(state: StoreState, e: Execution, retention: RetentionPolicy, now: number, everyJob = false): readonly string[] {
  state.apply({ op: "putExecution", execution: e });
  const expired = state.expiredExecutions(e.jobId, retention, now, everyJob);
  for (const id of expired) state.apply({ op: "deleteExecution", id });
  return expired;
}

const ids = (state: StoreState) => state.listExecutions({ jobId: "Job-1" }).items.map((e) => e.id);

/** How many Map lookups `work` makes: a count of work that no machine's speed changes. */
function lookups(work: () => void): number {
  const get = Map.prototype.get;
  let count = 0;
  Map.prototype.get = function (this: Map<unknown, unknown>, key: unknown) {
    count++;
    return get.call(this, key);
  };
  try {
    work();
  } finally {
    Map.prototype.get = get;
  }
  return count;
}

t.test("at its cap a job drops its oldest finished run, even one saved after newer ones", async (t) => {
  const state = new StoreState();
  const retention = { maxPerJob: 3, maxAgeMs: 30 * DAY };
  const now = START + DAY;
  for (const minute of [5, 6, 7]) save(state, run(`Exec-${minute}`, minute), retention, now);
  t.same(save(state, run("Exec-2", 2), retention, now), ["Exec-2"], "a late arrival that is the oldest is the one that goes");
  t.same(save(state, run("Exec-9", 9), retention, now), ["Exec-5"]);
  t.same(ids(state), ["Exec-9", "Exec-7", "Exec-6"]);
});

t.test("at its cap, running and Halted runs are passed over for the oldest finished one", async (t) => {
  const state = new StoreState();
  const retention = { maxPerJob: 3, maxAgeMs: 30 * DAY };
  const now = START + DAY;
  save(state, run("Exec-1", 1, "Running"), retention, now);
  save(state, run("Exec-2", 2, "Halted"), retention, now);
  save(state, run("Exec-3", 3), retention, now);
  t.same(save(state, run("Exec-4", 4), retention, now), ["Exec-3"]);
  t.same(ids(state), ["Exec-4", "Exec-2", "Exec-1"]);
});

t.test("a job's next save drops its runs that aged out, wherever they sort; runs still going never age", async (t) => {
  const state = new StoreState();
  const retention = { maxPerJob: 100, maxAgeMs: DAY };
  let now = START;
  save(state, run("Exec-1", 1), retention, now);
  save(state, run("Exec-2", 2, "Running"), retention, now);
  save(state, run("Exec-3", 3, "Completed", 60 * 30), retention, now);
  now = START + DAY + 5 * 60_000;
  t.same(save(state, run("Exec-4", 24 * 60 + 5), retention, now), ["Exec-1"], "ended over a day ago");
  now = START + DAY + (60 * 30 + 1) * 60_000;
  t.same(save(state, run("Exec-5", 24 * 60 + 60 * 30 + 1), retention, now), ["Exec-3", "Exec-4"], "due before Exec-4, Exec-3 ended after it: each ages from its end");
  t.same(ids(state), ["Exec-5", "Exec-2"]);
});

t.test("a save's retention work does not grow with the job's history", async (t) => {
  for (const cap of [100, 1_000]) {
    const state = new StoreState();
    const retention = { maxPerJob: cap, maxAgeMs: 30 * DAY };
    const now = START + 7 * DAY;
    for (let i = 0; i < cap; i++) save(state, run(`Exec-${String(i).padStart(5, "0")}`, i), retention, now);
    let dropped: readonly string[] = [];
    const count = lookups(() => (dropped = save(state, run("Exec-next", cap), retention, now)));
    t.same(dropped, ["Exec-00000"], `at a cap of ${cap}, the oldest goes`);
    t.ok(count <= 12, `at a cap of ${cap}: ${count} lookups (sorting or scanning the history would be over ${cap})`);
  }
});

t.test("the every-job sweep finds old runs of jobs that have not run since", async (t) => {
  const state = new StoreState();
  const retention = { maxPerJob: 100, maxAgeMs: DAY };
  save(state, { ...run("Exec-idle", 1), jobId: "Job-idle" }, retention, START);
  save(state, run("Exec-1", 2), retention, START);
  const later = START + 2 * DAY;
  t.same(save(state, run("Exec-2", 2 * 24 * 60), retention, later), ["Exec-1"], "without the sweep, only the job that ran");
  t.same(save(state, run("Exec-3", 2 * 24 * 60 + 1), retention, later, true), ["Exec-idle"], "the sweep takes the idle job's too");
});

t.test("a snapshot is loaded with each job's runs appended in age order, whatever order it lists them in", async (t) => {
  const executions = Array.from({ length: 2000 }, (_, i) => run(`Exec-${String(i).padStart(5, "0")}`, i)).reverse();
  const state = new StoreState();
  const count = lookups(() => state.load({ jobs: [], executions, records: {} }));
  t.equal(ids(state)[0], "Exec-01999");
  t.equal(ids(state).at(-1), "Exec-00000");
  const retention = { maxPerJob: 2000, maxAgeMs: 30 * DAY };
  t.same(save(state, run("Exec-next", 5000), retention, START + DAY), ["Exec-00000"], "the oldest is at the front");
  t.ok(count <= 4 * executions.length, `${count} lookups for ${executions.length} runs (a search for each place would be over ${10 * executions.length})`);
});
