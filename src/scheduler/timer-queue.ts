import { MAX_TIMER_DELAY_MS, systemClock, type Clock } from "./clock.js";
import { DueHeap } from "./due-heap.js";

/** Hands the event loop back, then calls `next`. */
export type YieldTo = (next: () => void) => void;

/** How long one turn of the event loop may spend handing out due keys before it lets other work run. */
const SLICE_MS = 1;

/**
 * Keeps the next due instant of every scheduled key and arms exactly one timer,
 * for the earliest. No polling: the process sleeps until something is due.
 *
 * Each wake re-reads the wall clock and fires whatever is due by then, so a
 * clock that jumped while we slept is honoured on the next wake: keys already
 * moved past the new time do not fire again, keys that became due do fire.
 * Delays longer than setTimeout allows are covered by waking at the limit and
 * re-arming for the rest.
 *
 * When many keys fall due at once, they are handed out a slice at a time (about
 * a millisecond's worth per turn of the event loop), so the work the first ones
 * start runs while the rest are still being handed out, instead of after the
 * whole batch. Each key is taken off the heap as it is handed out, not all of
 * them first: with a thousand due, taking them all off before the first cost
 * that first one (and so every one) about 3 ms. A key rescheduled or removed
 * meanwhile is simply where the heap has it. No timer is armed while a burst is
 * being handed out; the next one is armed once it is out. On a hand-driven
 * clock (tests) every due key is handed out at once.
 */
export class TimerQueue<K> {
  private readonly heap = new DueHeap<K>();
  private draining = false;
  private handle: unknown = null;
  /** The due instant the armed timer was set for. */
  private armedFor = Infinity;
  private running = false;
  private readonly yieldTo: YieldTo | null;

  constructor(
    private readonly clock: Clock,
    /** Called once per key that fell due, in due order; the key is no longer queued. */
    private readonly onDue: (key: K, due: number) => void,
    /** How to hand the event loop back between slices; default setImmediate on the system clock, none on another. */
    yieldTo?: YieldTo | null,
  ) {
    this.yieldTo = yieldTo !== undefined ? yieldTo : clock === systemClock ? (next) => void setImmediate(next) : null;
  }

  /** Whether keys that fell due are still being handed out (a burst, a slice at a time). */
  get handingOut(): boolean {
    return this.draining;
  }

  get size(): number {
    return this.heap.size;
  }

  schedule(key: K, due: number): void {
    this.heap.set(key, due);
    if (due < this.armedFor) this.arm();
  }

  /** Unschedules a key. The armed timer is left alone: waking early costs one re-arm. */
  remove(key: K): void {
    this.heap.delete(key);
    if (this.heap.size === 0) this.disarm();
  }

  start(): void {
    this.running = true;
    this.arm();
  }

  stop(): void {
    this.running = false;
    this.disarm();
  }

  private disarm(): void {
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
    this.armedFor = Infinity;
  }

  private arm(): void {
    // While a burst is handed out, due keys are still on the heap: the drain arms once it is done.
    if (this.draining) return;
    this.disarm();
    if (!this.running) return;
    const next = this.heap.peek();
    if (!next) return;
    const delay = Math.min(Math.max(next.due - this.clock.now(), 0), MAX_TIMER_DELAY_MS);
    this.armedFor = next.due;
    this.handle = this.clock.setTimeout(() => this.wake(), delay);
  }

  private wake(): void {
    this.handle = null;
    this.armedFor = Infinity;
    if (this.running && !this.draining) this.drain();
  }

  /**
   * Hands out the keys due by now, earliest first, until none is left or the
   * slice's time is up (then continues on a later turn, reading the clock again).
   */
  private drain(): void {
    this.draining = true;
    const now = this.clock.now();
    const until = this.yieldTo === null ? Infinity : performance.now() + SLICE_MS;
    for (let top = this.heap.peek(); this.running && top !== undefined && top.due <= now; top = this.heap.peek()) {
      const entry = this.heap.pop()!;
      this.onDue(entry.key, entry.due);
      if (performance.now() >= until) {
        const next = this.heap.peek();
        if (this.running && next !== undefined && next.due <= now) {
          this.yieldTo!(() => (this.running ? this.drain() : void (this.draining = false)));
          return;
        }
      }
    }
    this.draining = false;
    this.arm();
  }
}
