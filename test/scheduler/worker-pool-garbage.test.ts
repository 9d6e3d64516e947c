/**
 * What the worker pool leaves to the garbage collector. Work that waited for a
 * slot is garbage once it is over, for V8's young-generation collections too
 * (not only for the next full collection); and the pool keeps the item it
 * queued last, so QueuedWork's hidden class (and the code compiled for it)
 * outlives a full collection between bursts.
 */
import t from "tap";
import { setFlagsFromString, getHeapStatistics } from "node:v8";
import { runInNewContext } from "node:vm";
import { AbandonScope, WorkerPool } from "../../src/scheduler/worker-pool.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as (options?: { type: "minor" | "major" }) => void;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const used = (): number => getHeapStatistics().used_heap_size;

/** A run's task in small: its own memory and scope, its work run through the pool, its outcome noted. */
class Task {
  readonly scope = new AbandonScope();
  readonly own: number[];
  outcome: unknown = null;

  constructor(elements: number) {
    this.own = new Array<number>(elements).fill(elements);
  }

  start(pool: WorkerPool): Promise<void> {
    return pool.run(() => this.work(), this.scope).then((outcome) => void (this.outcome = outcome));
  }

  private async work(): Promise<number> {
    return this.own.length;
  }
}

function queuedRun(pool: WorkerPool, bytes: number): Promise<unknown> {
  return new Task(bytes / 8).start(pool);
}

t.test("work that waited for a slot is let go by young-generation collections once it is over, not only by a full one", async (t) => {
  const pool = new WorkerPool(5);
  const RUNS = 1000;
  const BYTES = 1600;
  const kept: number[] = [];
  for (let round = 0; round < 8; round++) {
    gc();
    gc({ type: "minor" });
    gc({ type: "minor" });
    const before = used();
    for (let i = 0; i < RUNS; i++) void queuedRun(pool, BYTES);
    await nextTurn();
    await nextTurn();
    t.same(pool.status, { size: 5, active: 0, queued: 0 }, "every piece of work is over");
    // Two young-generation collections: what survives both is promoted, and counted.
    gc({ type: "minor" });
    gc({ type: "minor" });
    kept.push((used() - before) / (RUNS * BYTES));
  }
  // The first rounds also keep what V8 compiles meanwhile. From the third on, the median round must keep
  // less than the tasks' own arrays: when each waiting item held a closure over its task, every round
  // kept each task whole (its array and the rest: 1.4-2.2 times the arrays' size).
  const later = kept.slice(2).sort((a, b) => a - b);
  const median = (later[2]! + later[3]!) / 2;
  t.ok(median < 1, `kept per round, as a share of the tasks' own memory: ${kept.map((k) => k.toFixed(2)).join(" ")}`);
});

t.test("the pool keeps the item it queued last after it ran, but not its work, and lets the one before it go", async (t) => {
  const pool = new WorkerPool(1);
  const items: WeakRef<object>[] = [];
  const tasks: WeakRef<Task>[] = [];
  // A function of its own, so that this test's frame holds none of its objects.
  const round = async (): Promise<void> => {
    const first = pool.run(async () => 1);
    const task = new Task(8);
    const second = task.start(pool);
    items.push(new WeakRef(pool.latestQueued!));
    tasks.push(new WeakRef(task));
    await Promise.all([first, second]);
  };
  await round();
  await round();
  await nextTurn();
  gc();
  t.ok(items[1]!.deref(), "the latest queued item is kept");
  t.equal(items[0]!.deref(), undefined, "the one queued before it is collected");
  t.equal(tasks[1]!.deref(), undefined, "the latest item does not keep the task it ran");
});
