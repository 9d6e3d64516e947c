import t from "tap";
import { MAX_TIMER_DELAY_MS, ManualClock } from "../../src/scheduler/clock.js";
import { TimerQueue } from "../../src/scheduler/timer-queue.js";

function queue(clock: ManualClock): { q: TimerQueue<string>; fired: [string, number, number][] } {
  const fired: [string, number, number][] = [];
  const q = new TimerQueue<string>(clock, (key, due) => fired.push([key, due, clock.now()]));
  q.start();
  return { q, fired };
}

t.test("arms one timer for the earliest key whatever the number of keys", async (t) => {
  const clock = new ManualClock(0);
  const { q, fired } = queue(clock);
  for (let i = 0; i < 10_000; i++) q.schedule(`k${i}`, 1_000 + ((i * 7919) % 100_000));
  t.equal(clock.pendingTimers, 1);
  await clock.advance(1_000);
  t.same(fired, [["k0", 1_000, 1_000]]);
  t.equal(clock.pendingTimers, 1);
});

t.test("a key moved earlier re-arms; a removed key never fires", async (t) => {
  const clock = new ManualClock(0);
  const { q, fired } = queue(clock);
  q.schedule("a", 500);
  q.schedule("b", 300);
  q.remove("b");
  q.schedule("a", 200);
  await clock.advance(1_000);
  t.same(fired, [["a", 200, 200]]);
  t.equal(clock.pendingTimers, 0, "nothing left armed once the queue is empty");
});

t.test("a due instant beyond setTimeout's limit fires on time, not early", async (t) => {
  const clock = new ManualClock(0);
  const { q, fired } = queue(clock);
  const due = 3 * MAX_TIMER_DELAY_MS + 12_345;
  q.schedule("far", due);
  await clock.advance(due - 1);
  t.same(fired, [], "not fired a millisecond early, though the timer woke in between");
  await clock.advance(1);
  t.same(fired, [["far", due, due]]);
});

t.test("a forward wall-clock jump is noticed on the next wake: what became due fires once", async (t) => {
  const H = 3_600_000;
  const clock = new ManualClock(0);
  const { q, fired } = queue(clock);
  q.schedule("at-1h", H);
  q.schedule("at-10h", 10 * H);
  clock.set(4 * H);
  await clock.advance(H);
  t.same(fired, [["at-1h", H, 5 * H]], "the wake armed for 1 h finds the clock at 5 h");
  await clock.advance(5 * H);
  t.same(fired.map(([k, , at]) => [k, at]), [["at-1h", 5 * H], ["at-10h", 10 * H]], "the rest re-armed from the new time");
});

t.test("a backward wall-clock jump neither fires early nor fires twice", async (t) => {
  const H = 3_600_000;
  const clock = new ManualClock(0);
  const fired: [string, number][] = [];
  const q: TimerQueue<string> = new TimerQueue<string>(clock, (key, due) => {
    fired.push([key, clock.now()]);
    q.schedule(key, due + H);
  });
  q.start();
  q.schedule("hourly", H);
  await clock.advance(H);
  t.same(fired, [["hourly", H]]);
  clock.set(0);
  await clock.advance(H);
  t.same(fired.length, 1, "the timer wakes at wall 1 h again; the 2 h run is not due");
  await clock.advance(H);
  t.same(fired, [["hourly", H], ["hourly", 2 * H]]);
});

t.test("many keys due at once are handed out a slice at a time; a key removed or moved meanwhile is not handed out from the old batch", async (t) => {
  const clock = new ManualClock(0);
  const turns: (() => void)[] = [];
  const fired: string[] = [];
  const q = new TimerQueue<string>(
    clock,
    (key) => {
      fired.push(key);
      // A slow hand-out: each one uses up its slice of the event loop.
      const until = performance.now() + 2;
      while (performance.now() < until);
    },
    (next) => void turns.push(next),
  );
  q.start();
  for (const key of ["a", "b", "c", "d"]) q.schedule(key, 100);
  await clock.advance(100);
  t.same(fired, ["a"], "the first slice hands out one key and gives the turn back");
  t.equal(turns.length, 1);
  t.ok(q.handingOut, "it says it is still handing out a burst");
  q.remove("b");
  q.schedule("c", 500);
  turns.shift()!();
  t.notOk(q.handingOut, "and no longer once the burst is out");
  t.same(fired, ["a", "d"], "b was removed and c moved later in between");
  t.equal(turns.length, 0, "nothing left to hand out");
  await clock.advance(400);
  t.same(fired, ["a", "d", "c"], "c fires at its new instant");
});

t.test("on the system clock a burst gives the event loop back before it is all handed out", async (t) => {
  const { systemClock } = await import("../../src/scheduler/clock.js");
  const handedOut: number[] = [];
  let immediates = 0;
  const q = new TimerQueue<number>(systemClock, (key) => {
    handedOut.push(key);
    const until = performance.now() + 0.3;
    while (performance.now() < until);
  });
  const due = Date.now() + 20;
  for (let i = 0; i < 20; i++) q.schedule(i, due);
  q.start();
  await new Promise<void>((resolve) => {
    const check = (): void => {
      if (handedOut.length > 0 && handedOut.length < 20) immediates++;
      if (handedOut.length === 20) resolve();
      else setImmediate(check);
    };
    setImmediate(check);
  });
  q.stop();
  t.same(handedOut, [...Array(20).keys()], "every key, in due order");
  t.ok(immediates > 0, "other work ran while the burst was being handed out");
});

t.test("the first key of a burst is handed out before the rest are taken off the heap", async (t) => {
  const { DueHeap } = await import("../../src/scheduler/due-heap.js");
  const clock = new ManualClock(0);
  let pops = 0;
  const pop = DueHeap.prototype.pop;
  DueHeap.prototype.pop = function (this: InstanceType<typeof DueHeap>) {
    pops++;
    return pop.call(this) as ReturnType<typeof pop>;
  };
  t.teardown(() => void (DueHeap.prototype.pop = pop));
  const popsAtHandOut: number[] = [];
  const q = new TimerQueue<number>(clock, () => void popsAtHandOut.push(pops));
  q.start();
  for (let i = 0; i < 1_000; i++) q.schedule(i, 100);
  await clock.advance(100);
  // Taking all thousand off first made the first key (and so every key) wait for them: ~3 ms on the real clock.
  t.same(popsAtHandOut.slice(0, 3), [1, 2, 3]);
  t.equal(popsAtHandOut.length, 1_000);
});

t.test("a key that falls due while a burst is handed out joins it in due order", async (t) => {
  const clock = new ManualClock(0);
  const fired: string[] = [];
  const q: TimerQueue<string> = new TimerQueue<string>(clock, (key) => {
    fired.push(key);
    if (key === "a") q.schedule("early", 50);
  });
  q.start();
  for (const key of ["a", "b", "c"]) q.schedule(key, 100);
  await clock.advance(100);
  t.same(fired, ["a", "early", "b", "c"]);
  t.equal(clock.pendingTimers, 0, "nothing armed once every key is out");
});
