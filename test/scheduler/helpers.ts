import type { ActionContext } from "../../src/scheduler/actions.js";
import { ManualClock } from "../../src/scheduler/clock.js";
import { Scheduler, type SchedulerOptions } from "../../src/scheduler/scheduler.js";
import { MemoryStore } from "../../src/store/memory-store.js";

export const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

export interface Harness {
  clock: ManualClock;
  store: MemoryStore;
  scheduler: Scheduler;
}

/** A started scheduler on a manual clock at 2026-01-01T00:00:00Z, zone UTC, its own memory store. */
export async function harness(
  options: Partial<SchedulerOptions> & { clock?: ManualClock; store?: MemoryStore; before?: (scheduler: Scheduler) => void } = {},
): Promise<Harness> {
  const { before, ...rest } = options;
  const clock = rest.clock ?? new ManualClock(T0);
  const store = rest.store ?? new MemoryStore({ now: () => clock.now() });
  const scheduler = new Scheduler({ timeZone: "UTC", ...rest, clock, store });
  before?.(scheduler);
  await scheduler.start();
  return { clock, store, scheduler };
}

/** A promise you settle from outside. */
export interface Gate<T = unknown> {
  promise: Promise<T>;
  open(value?: T): void;
  fail(error: unknown): void;
}

export function gate<T = unknown>(): Gate<T> {
  let open!: (value: T) => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<T>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open: (v?: T) => open(v as T), fail };
}

/** Counts how many calls are inside the action at once. */
export class InFlight {
  current = 0;
  max = 0;
  started: string[] = [];

  async around<T>(target: string, work: () => Promise<T>): Promise<T> {
    this.current++;
    this.max = Math.max(this.max, this.current);
    this.started.push(target);
    try {
      return await work();
    } finally {
      this.current--;
    }
  }
}

/** An action that records its calls and waits for the test to release each target. */
export function heldAction(): {
  calls: ActionContext[];
  release(target?: string, value?: unknown): void;
  failWith(target: string, error: unknown): void;
  inFlight: InFlight;
  run(ctx: ActionContext): Promise<unknown>;
} {
  const gates = new Map<string, Gate[]>();
  const calls: ActionContext[] = [];
  const inFlight = new InFlight();
  const gateFor = (target: string): Gate => {
    let list = gates.get(target);
    if (!list) gates.set(target, (list = []));
    const g = gate();
    list.push(g);
    return g;
  };
  return {
    calls,
    inFlight,
    release(target?: string, value: unknown = "done") {
      for (const [t, list] of gates) if (target === undefined || t === target) for (const g of list.splice(0)) g.open(value);
    },
    failWith(target: string, error: unknown) {
      for (const g of gates.get(target)?.splice(0) ?? []) g.fail(error);
    },
    run(ctx: ActionContext) {
      calls.push(ctx);
      return inFlight.around(ctx.target, () => gateFor(ctx.target).promise);
    },
  };
}

export function transientError(message = "flaky", extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { transient: true, type: "ConnectionReset", ...extra });
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
