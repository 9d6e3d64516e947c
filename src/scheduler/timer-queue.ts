import { MAX_TIMER_DELAY_MS, type Clock } from "./clock.js";
import { DueHeap } from "./due-heap.js";

/**
 * Keeps the next due instant of every scheduled key and arms exactly one timer,
 * for the earliest. No polling: the process sleeps until something is due.
 *
 * Each wake re-reads the wall clock and fires whatever is due by then, so a
 * clock that jumped while we slept is honoured on the next wake: keys already
 * moved past the new time do not fire again, keys that became due do fire.
 * Delays longer than setTimeout allows are covered by waking at the limit and
 * re-arming for the rest.
 */
export class TimerQueue<K> {
  private readonly heap = new DueHeap<K>();
  private handle: unknown = null;
  /** The due instant the armed timer was set for. */
  private armedFor = Infinity;
  private running = false;

  constructor(
    private readonly clock: Clock,
    /** Called once per key that fell due, in due order; the key is no longer queued. */
    private readonly onDue: (key: K, due: number) => void,
  ) {}

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
    if (!this.running) return;
    const now = this.clock.now();
    const due: { key: K; due: number }[] = [];
    for (let top = this.heap.peek(); top && top.due <= now; top = this.heap.peek()) {
      due.push(this.heap.pop()!);
    }
    this.arm();
    for (const entry of due) this.onDue(entry.key, entry.due);
  }
}
