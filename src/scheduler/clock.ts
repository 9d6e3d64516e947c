/**
 * Where the scheduler gets its time and its timers. Everything time-related in the
 * runtime (due instants, task timeouts, retry backoff, stop grace) goes through a
 * Clock, so tests and simulations can drive time by hand instead of sleeping.
 */
export interface Clock {
  /** Wall-clock time, epoch milliseconds. */
  now(): number;
  /** Calls `fn` once, `ms` of elapsed time from now; returns a handle for clearTimeout. */
  setTimeout(fn: () => void, ms: number): unknown;
  /** Cancels a timer set with setTimeout; an unknown or spent handle is ignored. */
  clearTimeout(handle: unknown): void;
}

/** The largest delay setTimeout honours; Node turns anything longer into 1 ms. */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface ManualTimer {
  id: number;
  /** Elapsed (monotonic) time at which it fires. */
  at: number;
  fn: () => void;
}

/** Lets every promise continuation queued so far run. */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * A clock moved by hand. Like the real one it keeps two notions of time: timers
 * count elapsed (monotonic) time, while `now()` is the wall clock, which `set()`
 * can jump without moving any timer — exactly what happens to a process when the
 * system clock is corrected. Delays are coerced the way Node coerces them
 * (below 1 or above 2^31-1 becomes 1 ms), so code that forgets the limit fails
 * here as it would in production.
 */
export class ManualClock implements Clock {
  private elapsed = 0;
  private wallOffset: number;
  private timers: ManualTimer[] = [];
  private nextId = 1;

  /** Starts at `start` (epoch ms or Date; default 2026-01-01T00:00:00Z) and stands still until told. */
  constructor(start: number | Date = Date.UTC(2026, 0, 1, 0, 0, 0)) {
    this.wallOffset = typeof start === "number" ? start : start.getTime();
  }

  /** The wall clock: the start, plus time advanced, plus any jump made by set(). */
  now(): number {
    return this.wallOffset + this.elapsed;
  }

  /** Arms a timer that fires when advance() passes its instant. */
  setTimeout(fn: () => void, ms: number): unknown {
    const delay = ms >= 1 && ms <= MAX_TIMER_DELAY_MS ? Math.floor(ms) : 1;
    const timer: ManualTimer = { id: this.nextId++, at: this.elapsed + delay, fn };
    this.timers.push(timer);
    return timer.id;
  }

  /** Disarms a timer. */
  clearTimeout(handle: unknown): void {
    const index = this.timers.findIndex((t) => t.id === handle);
    if (index >= 0) this.timers.splice(index, 1);
  }

  /** How many timers are armed; lets a test see that nothing polls. */
  get pendingTimers(): number {
    return this.timers.length;
  }

  /**
   * Moves time forward by `ms`, firing every timer that falls due on the way in
   * order, each at its own instant, and letting promise continuations run after
   * each one (so a timer armed by a continuation also fires if it is due in time).
   */
  async advance(ms: number): Promise<void> {
    const target = this.elapsed + Math.max(0, ms);
    await settle();
    for (;;) {
      const next = this.earliest();
      if (!next || next.at > target) break;
      this.timers.splice(this.timers.indexOf(next), 1);
      this.elapsed = next.at;
      next.fn();
      await settle();
    }
    this.elapsed = target;
    await settle();
  }

  /** Moves forward to a wall-clock instant (epoch ms or Date), firing timers on the way. */
  async advanceTo(instant: number | Date): Promise<void> {
    const at = typeof instant === "number" ? instant : instant.getTime();
    await this.advance(at - this.now());
  }

  /** Jumps the wall clock to `epochMs`; armed timers keep their elapsed-time deadlines. */
  set(instant: number | Date): void {
    const at = typeof instant === "number" ? instant : instant.getTime();
    this.wallOffset = at - this.elapsed;
  }

  private earliest(): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    for (const t of this.timers) if (!best || t.at < best.at || (t.at === best.at && t.id < best.id)) best = t;
    return best;
  }
}
