/**
 * The sending side of the task queue. In cluster mode each action the
 * scheduler runs is replaced by one that puts the try on the queue (pg-boss)
 * and waits for whichever instance's worker did it: the run stays driven by
 * the instance that started it (retries, timeouts, rollout, result files), the
 * work goes to every instance's pool.
 */
import type pg from "pg";
import type PgBoss from "pg-boss";
import type { ActionContext, ActionDefinition, RevertContext } from "../../scheduler/actions.js";
import type { Logger } from "../../scheduler/logger.js";
import { parseOutcome, TASK_QUEUE, taskData, taskId, thrownFrom, type TaskData, type TaskOutcome } from "./task-wire.js";

export interface DispatcherOptions {
  boss: PgBoss;
  pool: pg.Pool;
  /** pg-boss's schema, quoted. */
  bossSchema: string;
  /** A task held by an instance that stopped answering goes back to the queue after this long. */
  expireInSeconds: number;
  /** How often a task may go back to the queue that way before it counts as lost. */
  retryLimit: number;
  /** Called once a burst of tasks is queued, so idle workers fetch at once. */
  onQueued(): void;
  logger: Logger;
}

interface Waiter {
  resolve(outcome: TaskOutcome): void;
  reject(reason: unknown): void;
  signal: AbortSignal;
}

/** Outcomes are looked for this often even without a notice, in case one was missed. */
const SWEEP_MS = 2000;
const READ_CHUNK = 1000;

export class TaskDispatcher {
  private readonly waiting = new Map<string, Waiter>();
  /** Tasks per run signal: one abort listener per signal, not one per task. */
  private readonly bySignal = new WeakMap<AbortSignal, Set<string>>();
  private outbox: { id: string; data: TaskData }[] = [];
  private toRead = new Set<string>();
  private flushing = false;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: DispatcherOptions) {
    this.sweeper = setInterval(() => {
      for (const id of this.waiting.keys()) this.toRead.add(id);
      this.schedule();
    }, SWEEP_MS);
    this.sweeper.unref();
  }

  /** The definition the scheduler is given: run and revert go through the queue, the rest stays here. */
  wrap(name: string, definition: ActionDefinition): ActionDefinition {
    const wrapped: ActionDefinition = { ...definition, run: (ctx) => this.send(name, "run", ctx) };
    if (definition.revert) wrapped.revert = (ctx: RevertContext) => this.send(name, "revert", ctx);
    return wrapped;
  }

  /** Workers announced these tasks as done. */
  done(ids: Iterable<string>): void {
    for (const id of ids) if (this.waiting.has(id)) this.toRead.add(id);
    this.schedule();
  }

  /** Tasks sent and not yet answered. */
  get outstanding(): number {
    return this.waiting.size;
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const [id, waiter] of this.waiting) {
      this.waiting.delete(id);
      waiter.reject(new DOMException("The cluster is closing", "AbortError"));
    }
  }

  private send(name: string, kind: TaskData["kind"], ctx: ActionContext): Promise<unknown> {
    const { signal } = ctx;
    if (signal.aborted) return Promise.reject(signal.reason);
    const data = taskData(name, kind, ctx);
    const id = taskId(data);
    const outcome = new Promise<TaskOutcome>((resolve, reject) => this.waiting.set(id, { resolve, reject, signal }));
    this.watch(signal, id);
    this.outbox.push({ id, data });
    this.schedule();
    return outcome.then((o) => {
      if (o.ok) return o.output;
      throw thrownFrom(o);
    });
  }

  private watch(signal: AbortSignal, id: string): void {
    let ids = this.bySignal.get(signal);
    if (!ids) {
      const set = new Set<string>();
      this.bySignal.set(signal, (ids = set));
      signal.addEventListener("abort", () => this.abandon(set, signal.reason), { once: true });
    }
    ids.add(id);
  }

  /** A run stopped: its tasks stop waiting, and those still queued are taken off the queue. */
  private abandon(ids: Set<string>, reason: unknown): void {
    const gone: string[] = [];
    for (const id of [...ids]) {
      const waiter = this.settle(id);
      if (!waiter) continue;
      waiter.reject(reason);
      gone.push(id);
    }
    if (gone.length > 0) this.options.boss.cancel(TASK_QUEUE, gone).catch(() => undefined);
  }

  /** Takes the task's waiter out; the caller settles it. */
  private settle(id: string): Waiter | undefined {
    const waiter = this.waiting.get(id);
    if (!waiter) return undefined;
    this.waiting.delete(id);
    this.bySignal.get(waiter.signal)?.delete(id);
    return waiter;
  }

  private schedule(): void {
    if (this.flushing) return;
    this.flushing = true;
    setImmediate(() => {
      this.flush()
        .catch((error: unknown) => this.options.logger.error("cluster: the task queue failed", { error: String(error) }))
        .finally(() => {
          this.flushing = false;
          if (this.outbox.length > 0 || this.toRead.size > 0) this.schedule();
        });
    });
  }

  private async flush(): Promise<void> {
    const sending = this.outbox.filter((t) => this.waiting.has(t.id));
    this.outbox = [];
    if (sending.length > 0) {
      const { expireInSeconds, retryLimit } = this.options;
      try {
        await this.options.boss.insert(
          sending.map(({ id, data }) => ({ id, name: TASK_QUEUE, data, expireInSeconds, retryLimit, retryDelay: 0 })),
        );
        this.options.onQueued();
      } catch (error) {
        // Nothing was queued: the tries fail as a transient error, which the job's retry policy may try again.
        const failure = Object.assign(new Error(`The task queue is unavailable: ${error instanceof Error ? error.message : String(error)}`), {
          type: "QueueUnavailable",
          transient: true,
        });
        for (const { id } of sending) this.settle(id)?.reject(failure);
      }
    }
    const reading = [...this.toRead];
    this.toRead.clear();
    for (let i = 0; i < reading.length; i += READ_CHUNK) await this.read(reading.slice(i, i + READ_CHUNK));
  }

  private async read(ids: string[]): Promise<void> {
    const { rows } = await this.options.pool.query<{ id: string; state: string; output: unknown }>(
      `SELECT id::text AS id, state::text AS state, output FROM ${this.options.bossSchema}.job
       WHERE name = $1 AND id = ANY($2::uuid[]) AND state IN ('completed', 'failed', 'cancelled')`,
      [TASK_QUEUE, ids],
    );
    for (const row of rows) {
      const waiter = this.settle(row.id);
      if (!waiter) continue;
      const outcome = row.state === "completed" ? parseOutcome(row.output) : null;
      waiter.resolve(
        outcome ?? {
          ok: false,
          error: { type: "TaskLost", message: `No instance finished the task (${row.state}); the machine may or may not have been changed`, transient: true },
        },
      );
    }
  }
}
