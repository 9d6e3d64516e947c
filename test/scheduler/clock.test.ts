import t from "tap";
import { MAX_TIMER_DELAY_MS, ManualClock } from "../../src/scheduler/clock.js";

t.test("advance fires due timers in order, each at its own instant", async (t) => {
  const clock = new ManualClock(1_000);
  const fired: [string, number][] = [];
  clock.setTimeout(() => fired.push(["b", clock.now()]), 200);
  clock.setTimeout(() => fired.push(["a", clock.now()]), 100);
  clock.setTimeout(() => fired.push(["c", clock.now()]), 300);
  await clock.advance(250);
  t.same(fired, [["a", 1_100], ["b", 1_200]]);
  t.equal(clock.now(), 1_250);
  t.equal(clock.pendingTimers, 1);
});

t.test("a timer armed by a promise continuation during advance fires if due in time", async (t) => {
  const clock = new ManualClock(0);
  const fired: number[] = [];
  clock.setTimeout(() => {
    void Promise.resolve().then(() => clock.setTimeout(() => fired.push(clock.now()), 50));
  }, 10);
  await clock.advance(100);
  t.same(fired, [60]);
});

t.test("delays are coerced as Node does: over 2^31-1 ms or under 1 ms becomes 1 ms", async (t) => {
  const clock = new ManualClock(0);
  const fired: number[] = [];
  clock.setTimeout(() => fired.push(clock.now()), MAX_TIMER_DELAY_MS + 1);
  clock.setTimeout(() => fired.push(clock.now()), 0);
  await clock.advance(5);
  t.same(fired, [1, 1]);
});

t.test("set jumps the wall clock but armed timers keep their elapsed-time deadline", async (t) => {
  const clock = new ManualClock(0);
  let firedAt = -1;
  clock.setTimeout(() => (firedAt = clock.now()), 1_000);
  clock.set(10_000_000);
  t.equal(clock.now(), 10_000_000);
  await clock.advance(999);
  t.equal(firedAt, -1);
  await clock.advance(1);
  t.equal(firedAt, 10_001_000);
});
