import t from "tap";
import type { Execution } from "../../src/executions/types.js";
import { agedFrom, JobHistory, oldestFirst } from "../../src/store/job-history.js";

function run(id: string, scheduledFor: string | null, state: Execution["state"] = "Completed", endedAt: string | null = scheduledFor): Execution {
  return {
    id,
    jobId: "Job-1",
    trigger: scheduledFor === null ? "Manual" : "Schedule",
    initiatedBy: null,
    scheduledFor,
    startedAt: scheduledFor,
    endedAt: state === "Running" || state === "Pending" ? null : endedAt,
    state,
    health: null,
    percentComplete: 0,
    reason: null,
    steps: [],
  };
}

/** A history with its executions, counting how many of them insert() and update() look at. */
function history() {
  const executions = new Map<string, Execution>();
  let looks = 0;
  const find = (id: string): Execution => {
    looks++;
    return executions.get(id)!;
  };
  const h = new JobHistory();
  return {
    h,
    add(e: Execution) {
      const prior = executions.get(e.id);
      if (prior) h.update(prior, e, find);
      else h.insert(e, find);
      executions.set(e.id, e);
    },
    looks: () => looks,
    resetLooks: () => void (looks = 0),
  };
}

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString();

t.test("runs saved in the order they fell due are appended, each after one look at the last", async (t) => {
  const { h, add, looks, resetLooks } = history();
  for (let i = 0; i < 200; i++) add(run(`Exec-${String(i).padStart(3, "0")}`, at(i)));
  resetLooks();
  add(run("Exec-200", at(200)));
  t.equal(looks(), 1, "the 201st run costs one comparison, not a sort");
  t.equal(h.ids.length, 201);
  t.equal(h.ids[200], "Exec-200");
});

t.test("a run saved out of order takes its place among the others, oldest first", async (t) => {
  const { h, add } = history();
  for (const minute of [1, 3, 5, 7]) add(run(`Exec-${minute}`, at(minute)));
  add(run("Exec-4", at(4)));
  add(run("Exec-0", at(0)));
  add(run("Exec-9", at(9)));
  t.same(h.ids, ["Exec-0", "Exec-1", "Exec-3", "Exec-4", "Exec-5", "Exec-7", "Exec-9"]);
});

t.test("runs due at the same instant are ordered by id, as listings order them", async (t) => {
  const { h, add } = history();
  add(run("Exec-b", at(1)));
  add(run("Exec-c", at(1)));
  add(run("Exec-a", at(1)));
  t.same(h.ids, ["Exec-a", "Exec-b", "Exec-c"]);
  t.ok(oldestFirst(run("Exec-a", at(1)), run("Exec-b", at(1))) < 0);
});

t.test("a run with no due instant moves when it starts, since its start then orders it", async (t) => {
  const { h, add } = history();
  add(run("Exec-1", at(1)));
  add(run("Exec-manual", null, "Pending"));
  add(run("Exec-2", at(2)));
  t.same(h.ids, ["Exec-manual", "Exec-1", "Exec-2"], "unstarted, it orders before every dated run");
  add({ ...run("Exec-manual", null, "Running"), startedAt: at(3) });
  t.same(h.ids, ["Exec-1", "Exec-2", "Exec-manual"], "started at minute 3, it is the newest");
});

t.test("the age bound is the earliest end among finished runs: running ones and unreadable stamps do not lower it", async (t) => {
  const { h, add } = history();
  t.equal(h.finishedFrom, Infinity, "nothing finished yet");
  add(run("Exec-running", at(0), "Running"));
  t.equal(h.finishedFrom, Infinity);
  add(run("Exec-5", at(5)));
  add(run("Exec-odd", at(6), "Completed", "not a date"));
  t.equal(h.finishedFrom, Date.parse(at(5)));
  add(run("Exec-late-entry", at(9), "Completed", at(2)));
  t.equal(h.finishedFrom, Date.parse(at(2)), "a run that ended earlier than the others lowers it, wherever it sorts");
  h.remove("Exec-late-entry");
  t.equal(h.finishedFrom, Date.parse(at(2)), "a bound, not a minimum: a removal leaves it");
  t.equal(agedFrom(run("x", at(6), "Completed", "not a date")), Infinity, "a stamp that cannot be read never ages");
  t.equal(agedFrom({ ...run("x", null, "Cancelled"), startedAt: null, endedAt: null }), Infinity);
});
