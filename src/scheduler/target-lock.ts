/**
 * One writer per target: two tasks (of any executions, of any jobs, or a plan)
 * never work on the same target id at the same time. The later one waits, in
 * arrival order, inside its pool slot and its task timeout: waiting is part of
 * the task's time, and a task that gives up leaves the queue.
 *
 * A task takes its pool slot first and the lock second, and holds one lock at
 * a time, so no cycle can form: the holder of a lock already has its slot and
 * will let both go.
 */

import { renewedIfEmpty } from "./burst-collections.js";

export interface TargetLockStatus {
  /** Targets some task is working on now. */
  held: number;
  /** Tasks waiting for a target another task holds. */
  waiting: number;
}

/** Lets the lock go; calling it again does nothing. */
export type Release = () => void;

export interface Lease {
  granted: Promise<void>;
  end(): void;
}

interface Waiter {
  grant(release: Release): void;
}

export class TargetLocks {
  /**
   * A key is present while its target is held; its array is the queue behind the holder (null: nobody waits yet).
   * Renewed when empty (see burst-collections).
   */
  private queues = new Map<string, Waiter[] | null>();
  private waiters = 0;

  get status(): TargetLockStatus {
    return { held: this.queues.size, waiting: this.waiters };
  }

  /** Whether some task holds `target` now. */
  isHeld(target: string): boolean {
    return this.queues.has(target);
  }

  /**
   * Takes `target` at once if nobody holds it, and says whether it did. The
   * uncontended path of a task: no promise, no release function. The caller
   * lets it go with free(), exactly once.
   */
  hold(target: string): boolean {
    if (this.queues.has(target)) return false;
    this.queues = renewedIfEmpty(this.queues);
    this.queues.set(target, null);
    return true;
  }

  /** Lets go of a target taken with hold(): the next waiter gets it. */
  free(target: string): void {
    const queue = this.queues.get(target);
    const next = queue?.shift();
    if (next === undefined) {
      this.queues.delete(target);
      return;
    }
    this.waiters--;
    next.grant(this.releaser(target));
  }

  /**
   * Resolves with a release function once `target` is ours. Rejects with the
   * signal's reason if it aborts first.
   */
  async acquire(target: string, signal?: AbortSignal): Promise<Release> {
    const lease = this.lease(target, signal);
    await lease.granted;
    return lease.end;
  }

  /**
   * Asks for `target` on behalf of one try of a task. `granted` resolves once
   * it is ours (rejects if `signal` aborts first); `end()` lets it go, or
   * leaves the queue if it was not granted yet. The runner ends a lease when
   * the try settles or when it gives up on it (timeout, cancel): an action
   * that ignores its signal must not keep its target from its own retry or
   * from other runs. Only a waiting lease listens on the signal, so the
   * uncontended path costs one map entry. The signal may be given as a
   * function, called only if the lease has to wait: a run's signal is then
   * never made for a target nobody else holds.
   */
  lease(target: string, signalOrGetter?: AbortSignal | (() => AbortSignal)): Lease {
    let release: Release | null = null;
    let ended = false;
    let leave: ((reason: unknown) => void) | null = null;
    const granted = new Promise<void>((resolve, reject) => {
      if (typeof signalOrGetter !== "function" && signalOrGetter?.aborted) return reject(signalOrGetter.reason);
      const held = this.queues.get(target);
      if (held === undefined) {
        this.queues = renewedIfEmpty(this.queues);
        this.queues.set(target, null);
        release = this.releaser(target);
        return resolve();
      }
      const queue = held ?? [];
      if (held === null) this.queues.set(target, queue);
      const signal = typeof signalOrGetter === "function" ? signalOrGetter() : signalOrGetter;
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = (): void => leave?.(signal!.reason);
      const waiter: Waiter = {
        grant: (r) => {
          leave = null;
          signal?.removeEventListener("abort", onAbort);
          if (ended) return r();
          release = r;
          resolve();
        },
      };
      leave = (reason) => {
        leave = null;
        signal?.removeEventListener("abort", onAbort);
        const i = queue.indexOf(waiter);
        if (i >= 0) {
          queue.splice(i, 1);
          this.waiters--;
        }
        reject(reason);
      };
      queue.push(waiter);
      this.waiters++;
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    granted.catch(() => {});
    return {
      granted,
      end: () => {
        if (ended) return;
        ended = true;
        const r = release;
        release = null;
        if (r) r();
        else leave?.(new DOMException("The lease ended before it was granted", "AbortError"));
      },
    };
  }

  private releaser(target: string): Release {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.free(target);
    };
  }
}
