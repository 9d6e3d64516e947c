/**
 * Run as a child process (with --expose-gc) by burst-collections.test: fires
 * bursts of one-target runs on a hand-driven clock and prints, per burst, the
 * bytes per run still on the heap after two young-generation collections.
 *
 * A process of its own, not the test's: tap tracks every promise a test makes
 * (its async context), which keeps about 2 KB per run of its own until a full
 * collection and would hide what the scheduler keeps.
 */
import { getHeapStatistics } from "node:v8";
import { ManualClock, MemoryStore, Scheduler } from "../../../src/index.js";
import type { StoreOp } from "../../../src/store/store-state.js";

const RUNS = 1000;
const ROUNDS = 7;
const gc = (globalThis as { gc?: (options?: { type: "minor" | "major" }) => void }).gc;
if (!gc) throw new Error("run with --expose-gc");
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const used = (): number => getHeapStatistics().used_heap_size;

/** Keeps the jobs and forgets every run, so that what a burst leaves on the heap is the scheduler's doing. */
class RunForgettingStore extends MemoryStore {
  protected override write(change: StoreOp): Promise<void> {
    return change.op === "putJob" || change.op === "putJobRun" ? super.write(change) : Promise.resolve();
  }
}

const clock = new ManualClock();
const scheduler = new Scheduler({ timeZone: "UTC", workerPoolSize: 5, clock, store: new RunForgettingStore() });
let started = 0;
scheduler.defineAction("noop", {
  async run() {
    started++;
  },
});
await scheduler.start();
const base = clock.now();
for (let round = 0; round < ROUNDS; round++) {
  const [date, time] = new Date(base + (round + 1) * 60_000).toISOString().slice(0, 19).split("T");
  for (let i = 0; i < RUNS; i++) {
    await scheduler.createJob({ name: `j${round}-${i}`, schedule: { type: "Once", date: date!, time: time!, timeZone: "UTC" }, steps: [{ action: "noop", targets: [`m${round}-${i}`] }] });
  }
}
const keptPerRun: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  gc();
  gc({ type: "minor" });
  gc({ type: "minor" });
  const before = used();
  await clock.advance(60_000);
  await nextTurn();
  await nextTurn();
  if (started !== (round + 1) * RUNS || scheduler.runningJobCount !== 0) throw new Error(`burst ${round} is not over: ${started} started`);
  // Two young-generation collections: what survives both is promoted, and counted.
  gc({ type: "minor" });
  gc({ type: "minor" });
  keptPerRun.push(Math.round((used() - before) / RUNS));
}
await scheduler.stop();
console.log(JSON.stringify({ runsPerBurst: RUNS, keptPerRun }));
