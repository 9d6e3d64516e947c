import t from "tap";
import { settle } from "../../src/scheduler/clock.js";
import { AbandonScope, DROPPED, WorkerPool } from "../../src/scheduler/worker-pool.js";
import { gate, InFlight, type Gate } from "./helpers.js";

t.test("never runs more than its size at once and reports active and queued", async (t) => {
  const pool = new WorkerPool(3);
  const inFlight = new InFlight();
  const gates: Gate[] = [];
  const results = Array.from({ length: 10 }, (_, i) =>
    pool.run(() => inFlight.around(String(i), () => { const g = gate(); gates.push(g); return g.promise; })),
  );
  await settle();
  t.same(pool.status, { size: 3, active: 3, queued: 7 });
  while (gates.length > 0 || inFlight.current > 0) {
    for (const g of gates.splice(0)) g.open();
    await settle();
  }
  await Promise.all(results);
  t.equal(inFlight.max, 3);
  t.equal(inFlight.started.length, 10);
});

t.test("resizing while work is queued starts more at once, losing and repeating nothing", async (t) => {
  const pool = new WorkerPool(2);
  const inFlight = new InFlight();
  const gates: Gate[] = [];
  const ran: number[] = [];
  const results = Array.from({ length: 20 }, (_, i) =>
    pool.run(() => inFlight.around(String(i), () => { ran.push(i); const g = gate(); gates.push(g); return g.promise; })),
  );
  await settle();
  t.equal(pool.status.active, 2);
  pool.resize(6);
  await settle();
  t.same(pool.status, { size: 6, active: 6, queued: 14 });
  for (const g of gates.splice(0, 3)) g.open();
  pool.resize(1);
  await settle();
  t.equal(pool.status.active, 3, "shrinking lets running work finish");
  while (gates.length > 0 || inFlight.current > 0) {
    for (const g of gates.splice(0)) g.open();
    await settle();
  }
  await Promise.all(results);
  t.same([...ran].sort((a, b) => a - b), Array.from({ length: 20 }, (_, i) => i), "every task ran exactly once");
  t.equal(inFlight.max, 6);
});

t.test("abandoning queued work answers DROPPED at once and never runs it", async (t) => {
  const pool = new WorkerPool(1);
  const blocker = gate();
  const first = pool.run(() => blocker.promise);
  const scope = new AbandonScope();
  let ran = false;
  const second = pool.run(async () => { ran = true; }, scope);
  await settle();
  t.equal(pool.status.queued, 1);
  scope.abandon();
  t.equal(await second, DROPPED);
  t.equal(pool.status.queued, 0, "the ghost left in p-limit's queue is not counted");
  blocker.open();
  await first;
  await settle();
  t.equal(ran, false);
  t.same(pool.status, { size: 1, active: 0, queued: 0 });
});

t.test("abandoning a scope calls each hook still registered once, whether one or many were registered; hooks taken off are not called", async (t) => {
  const scope = new AbandonScope();
  const called: string[] = [];
  const watcher = (name: string) => ({ abandoned: () => void called.push(name) });
  const hook = (name: string) => () => void called.push(name);
  const a = watcher("a");
  const b = watcher("b");
  const c = hook("c");
  t.equal(scope.watch(a), true);
  t.equal(scope.watch(b), true);
  const offC = scope.onAbandon(c);
  scope.off(a);
  const d = watcher("d");
  scope.watch(d);
  offC();
  scope.abandon();
  scope.abandon();
  t.same(called.sort(), ["b", "d"]);
  t.equal(scope.watch(watcher("late")), false, "a scope already abandoned refuses a watcher");
  scope.onAbandon(hook("now"));
  t.same(called.sort(), ["b", "d", "now"], "onAbandon on an abandoned scope calls its hook at once");
});
