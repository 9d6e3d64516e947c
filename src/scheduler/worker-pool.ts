import pLimit, { type LimitFunction } from "p-limit";

/** Returned by WorkerPool.run when the work was abandoned before it got a slot. */
export const DROPPED: unique symbol = Symbol("dropped");
export type Dropped = typeof DROPPED;

/** The shared worker pool right now. */
export interface PoolStatus {
  /** Tasks allowed at once (SchedulerOptions.workerPoolSize, setWorkerPoolSize). */
  size: number;
  /** Tasks running. */
  active: number;
  /** Tasks waiting for a slot. */
  queued: number;
}

/**
 * A concurrency limit over p-limit that can be resized live and lets a caller
 * abandon queued work. p-limit cannot remove one item from its queue, so an
 * abandoned item stays there as a ghost that returns at once when its turn
 * comes; the caller is answered immediately, and `queued` does not count ghosts.
 */
export class WorkerPool {
  private readonly limit: LimitFunction;
  private ghosts = 0;

  constructor(size: number) {
    this.limit = pLimit(size);
  }

  get size(): number {
    return this.limit.concurrency;
  }

  /** Takes effect at once: growing starts queued work, shrinking lets running work finish. */
  resize(size: number): void {
    this.limit.concurrency = size;
  }

  get status(): PoolStatus {
    return {
      size: this.limit.concurrency,
      active: this.limit.activeCount,
      queued: Math.max(0, this.limit.pendingCount - this.ghosts),
    };
  }

  /**
   * Runs `work` when a slot is free. If `scope` is abandoned first, resolves
   * DROPPED right away and `work` never runs. Once `work` has started, the slot
   * is held until it settles.
   */
  run<T>(work: () => Promise<T>, scope?: AbandonScope): Promise<T | Dropped> {
    if (!scope) return this.limit(work);
    if (scope.abandoned) return Promise.resolve(DROPPED);

    let started = false;
    let abandoned = false;
    let answer!: (value: T | Dropped) => void;
    let fail!: (reason: unknown) => void;
    const result = new Promise<T | Dropped>((resolve, reject) => {
      answer = resolve;
      fail = reject;
    });
    const unregister = scope.onAbandon(() => {
      if (started) return;
      abandoned = true;
      this.ghosts++;
      answer(DROPPED);
    });

    void this.limit(async () => {
      if (abandoned) {
        this.ghosts--;
        return;
      }
      started = true;
      unregister();
      try {
        answer(await work());
      } catch (error) {
        fail(error);
      }
    });
    return result;
  }
}

/**
 * Lets a caller give up on everything it queued at once (an execution being
 * cancelled). Cheaper than an AbortSignal listener per queued item: Node's
 * EventTarget scans its listener list on every add and remove, which turns
 * thousands of queued targets into quadratic work.
 */
export class AbandonScope {
  private hooks: Set<() => void> | null = new Set();

  get abandoned(): boolean {
    return this.hooks === null;
  }

  /** Calls `hook` when the scope is abandoned; returns a function that unregisters it. */
  onAbandon(hook: () => void): () => void {
    const hooks = this.hooks;
    if (hooks === null) {
      hook();
      return () => {};
    }
    hooks.add(hook);
    return () => hooks.delete(hook);
  }

  abandon(): void {
    const hooks = this.hooks;
    if (hooks === null) return;
    this.hooks = null;
    for (const hook of hooks) hook();
  }
}
