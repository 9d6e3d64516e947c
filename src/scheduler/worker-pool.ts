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

interface Queued {
  work: () => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (reason: unknown) => void;
  dropped: boolean;
  /** Its hook on the caller's scope, taken off once it starts. */
  scope: AbandonScope | undefined;
  onAbandon: (() => void) | undefined;
}

/**
 * A concurrency limit that can be resized live and lets a caller abandon
 * queued work. Work that finds a free slot starts in the caller's own turn,
 * synchronously: a timer that dispatches a thousand due jobs starts each
 * job's action as it dispatches it, not after the whole batch (a limiter that
 * always hops through the microtask queue starts the first only after the last
 * is queued). An abandoned item is answered at once and skipped when its turn comes.
 */
export class WorkerPool {
  private capacity: number;
  private running = 0;
  private readonly queue: Queued[] = [];
  private head = 0;
  /** Queued items not abandoned. */
  private waiting = 0;

  constructor(size: number) {
    this.capacity = size;
  }

  get size(): number {
    return this.capacity;
  }

  /** Takes effect at once: growing starts queued work, shrinking lets running work finish. */
  resize(size: number): void {
    this.capacity = size;
    this.drain();
  }

  get status(): PoolStatus {
    return { size: this.capacity, active: this.running, queued: this.waiting };
  }

  /**
   * Runs `work` when a slot is free (at once if one is). If `scope` is
   * abandoned first, resolves DROPPED right away and `work` never runs. Once
   * `work` has started, the slot is held until it settles.
   */
  run<T>(work: () => Promise<T>, scope?: AbandonScope): Promise<T | Dropped> {
    if (scope?.abandoned) return Promise.resolve(DROPPED);
    if (this.running < this.capacity && this.waiting === 0) return this.start(work);
    return new Promise<T | Dropped>((resolve, reject) => {
      const item: Queued = { work, resolve: resolve as (value: unknown) => void, reject, dropped: false, scope, onAbandon: undefined };
      if (scope) {
        item.onAbandon = () => {
          if (item.dropped) return;
          item.dropped = true;
          this.waiting--;
          resolve(DROPPED);
        };
        scope.watch(item.onAbandon);
      }
      this.queue.push(item);
      this.waiting++;
    });
  }

  private start<T>(work: () => Promise<T>): Promise<T> {
    this.running++;
    let promise: Promise<T>;
    try {
      promise = Promise.resolve(work());
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(this.release, this.release);
    return promise;
  }

  private readonly release = (): void => {
    this.running--;
    this.drain();
  };

  private drain(): void {
    while (this.running < this.capacity && this.head < this.queue.length) {
      const item = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as Queued;
      if (item.dropped) continue;
      item.dropped = true; // no longer abandonable: it is starting
      this.waiting--;
      if (item.onAbandon) item.scope!.off(item.onAbandon);
      this.start(item.work).then(item.resolve, item.reject);
    }
    if (this.head === this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
  }
}

/**
 * Lets a caller give up on everything it queued at once (an execution being
 * cancelled). Cheaper than an AbortSignal listener per queued item: Node's
 * EventTarget scans its listener list on every add and remove, which turns
 * thousands of queued targets into quadratic work.
 */
export class AbandonScope {
  private gone = false;
  /** A run of one target has one hook at a time: it is kept without making a Set. */
  private one: (() => void) | null = null;
  private more: Set<() => void> | null = null;

  get abandoned(): boolean {
    return this.gone;
  }

  /** Calls `hook` when the scope is abandoned; returns a function that unregisters it. */
  onAbandon(hook: () => void): () => void {
    if (!this.watch(hook)) {
      hook();
      return () => {};
    }
    return () => this.off(hook);
  }

  /** Like onAbandon, for a caller that keeps its hook to pass to off(); false (and no call) if already abandoned. */
  watch(hook: () => void): boolean {
    if (this.gone) return false;
    if (this.one === null) this.one = hook;
    else (this.more ??= new Set()).add(hook);
    return true;
  }

  off(hook: () => void): void {
    if (this.one === hook) this.one = null;
    else this.more?.delete(hook);
  }

  abandon(): void {
    if (this.gone) return;
    this.gone = true;
    const { one, more } = this;
    this.one = null;
    this.more = null;
    one?.();
    if (more) for (const hook of more) hook();
  }
}
