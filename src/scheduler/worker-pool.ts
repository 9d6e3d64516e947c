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

/** Told once when the scope it watches is abandoned. */
export interface AbandonWatcher {
  abandoned(): void;
}

/**
 * Work waiting for a slot. It watches its caller's scope itself, as an object
 * with a method rather than through a closure made for it: with a closure made
 * in the queuing call and kept on the item, every queued run of a burst stayed
 * reachable, as far as V8's young-generation collections could tell, for
 * several collections after it had ended (until the next full collection), so
 * each of them copied and promoted 2.5-2.8 KB per run that was already garbage.
 * A 1 000-run burst with a pool of 5 queues 995 runs.
 */
class QueuedWork implements AbandonWatcher {
  resolve!: (value: unknown) => void;
  reject!: (reason: unknown) => void;
  /** Dropped (its scope abandoned) or started: either way, no longer waiting. */
  dropped = false;
  readonly promise: Promise<unknown>;

  constructor(
    private readonly pool: WorkerPool,
    private work: () => Promise<unknown>,
    /** The caller's scope, watched until the work starts. */
    readonly scope: AbandonScope | undefined,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  abandoned(): void {
    if (this.dropped) return;
    this.dropped = true;
    this.work = NO_WORK;
    this.pool.forgetQueued();
    this.resolve(DROPPED);
  }

  /** The work, handed over once: the item (the pool keeps its last one) must not keep the caller's run. */
  take(): () => Promise<unknown> {
    const work = this.work;
    this.work = NO_WORK;
    return work;
  }
}

const NO_WORK = (): Promise<unknown> => Promise.resolve(undefined);

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
  private readonly queue: QueuedWork[] = [];
  private head = 0;
  /** Queued items not abandoned. */
  private waiting = 0;
  /**
   * The item queued last, kept after it has started (without its work): while one instance lives,
   * V8 keeps QueuedWork's hidden class, and the code compiled for it survives a
   * full garbage collection between bursts (see LiveRuns.latestEnded).
   * Without it, a burst after a full collection cost 26-40 us of CPU per run
   * instead of 9-29.
   */
  latestQueued: object | null = null;

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
    const item = new QueuedWork(this, work, scope);
    this.latestQueued = item;
    this.queue.push(item);
    this.waiting++;
    scope?.watch(item);
    return item.promise as Promise<T | Dropped>;
  }

  /** A queued item was dropped before its turn: it no longer counts as waiting. */
  forgetQueued(): void {
    this.waiting--;
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
      this.queue[this.head++] = undefined as unknown as QueuedWork;
      if (item.dropped) continue;
      item.dropped = true; // no longer abandonable: it is starting
      this.waiting--;
      item.scope?.off(item);
      this.start(item.take()).then(item.resolve, item.reject);
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
  /** A run of one target has one watcher at a time: it is kept without making a Set. */
  private one: AbandonWatcher | null = null;
  private more: Set<AbandonWatcher> | null = null;

  get abandoned(): boolean {
    return this.gone;
  }

  /** Calls `hook` when the scope is abandoned; returns a function that unregisters it. For rare waits (a retry's backoff). */
  onAbandon(hook: () => void): () => void {
    const watcher: AbandonWatcher = { abandoned: hook };
    if (!this.watch(watcher)) {
      hook();
      return () => {};
    }
    return () => this.off(watcher);
  }

  /**
   * Tells `watcher` when the scope is abandoned, until off(); false (and no
   * call) if it already is. The per-task path: the watcher is the waiting
   * item or the try itself, not a closure made for it (see QueuedWork).
   */
  watch(watcher: AbandonWatcher): boolean {
    if (this.gone) return false;
    if (this.one === null) this.one = watcher;
    else (this.more ??= new Set()).add(watcher);
    return true;
  }

  off(watcher: AbandonWatcher): void {
    if (this.one === watcher) this.one = null;
    else this.more?.delete(watcher);
  }

  abandon(): void {
    if (this.gone) return;
    this.gone = true;
    const { one, more } = this;
    this.one = null;
    this.more = null;
    one?.abandoned();
    if (more) for (const watcher of more) watcher.abandoned();
  }
}
