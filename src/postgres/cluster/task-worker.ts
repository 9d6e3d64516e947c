/**
 * The working side of the task queue: this instance's share of every run.
 * It fetches only as many tasks as it has free slots (its pool size), so it
 * never sits on queued work another instance could do; takes the target's
 * cluster-wide lease; runs the action; stores the outcome and announces it.
 *
 * On close it takes no more, hands back at once the tasks still waiting for
 * a lease, and gives those in progress the grace period before handing them
 * back too (the next holder re-reads the machine before changing it).
 */
import { setMaxListeners } from "node:events";
import type pg from "pg";
import type PgBoss from "pg-boss";
import type { ActionContext, ActionDefinition, RevertContext } from "../../scheduler/actions.js";
import { withFields, type Logger } from "../../scheduler/logger.js";
import { retryAfterOf, toTaskError } from "../../scheduler/task-error.js";
import type { TargetLeases } from "./target-leases.js";
import { TASK_QUEUE, type TaskData, type TaskOutcome } from "./task-wire.js";

export interface WorkerOptions {
  boss: PgBoss;
  pool: pg.Pool;
  leases: TargetLeases;
  /** The actions as defined, by name: what the tasks run here. */
  definitions: ReadonlyMap<string, ActionDefinition>;
  /** Tasks at once on this instance. */
  capacity: number;
  /** Channel on which finished tasks are announced. */
  doneChannel: string;
  logger: Logger;
}

/** Idle workers look for tasks this often even without a notice. */
const POLL_MS = 1000;
/** Ids per done notice, well under PostgreSQL's 8000-byte payload limit. */
const NOTICE_IDS = 150;

export class TaskWorker {
  private active = 0;
  private pumping = false;
  private again = false;
  private closing = false;
  private readonly poller: NodeJS.Timeout;
  /** Aborted on close: lease waits end at once, actions after the grace period. */
  private readonly leaseWaits = new AbortController();
  private readonly actions = new AbortController();
  private readonly running = new Set<Promise<void>>();
  private announcing: string[] = [];
  /** Tasks finished by this instance since start. */
  completed = 0;

  constructor(private readonly options: WorkerOptions) {
    // Every task in progress listens on these two; a pool of hundreds is normal, not a leak.
    setMaxListeners(0, this.leaseWaits.signal, this.actions.signal);
    this.poller = setInterval(() => this.kick(), POLL_MS);
    this.poller.unref();
  }

  /** Tasks were queued: fetch now if there is room. */
  kick(): void {
    if (this.pumping) {
      this.again = true;
      return;
    }
    void this.pump();
  }

  get status(): { capacity: number; active: number; completed: number } {
    return { capacity: this.options.capacity, active: this.active, completed: this.completed };
  }

  async close(graceMs: number): Promise<void> {
    this.closing = true;
    clearInterval(this.poller);
    this.leaseWaits.abort(new DOMException("This instance is stopping", "AbortError"));
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([Promise.all(this.running), grace]);
    clearTimeout(timer);
    this.actions.abort(new DOMException("This instance is stopping", "AbortError"));
    await Promise.all(this.running);
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    try {
      do {
        this.again = false;
        while (!this.closing && this.active < this.options.capacity) {
          const jobs = await this.options.boss.fetch<TaskData>(TASK_QUEUE, { batchSize: this.options.capacity - this.active });
          if (jobs.length === 0 || this.closing) {
            if (jobs.length > 0) await this.handBack(jobs.map((j) => j.id));
            break;
          }
          for (const job of jobs) this.start(job);
        }
      } while (this.again && !this.closing);
    } catch (error) {
      this.options.logger.error("cluster: could not fetch tasks", { error: String(error) });
    } finally {
      this.pumping = false;
    }
  }

  private start(job: PgBoss.Job<TaskData>): void {
    this.active++;
    const work = this.perform(job)
      .catch((error: unknown) => this.options.logger.error("cluster: a task could not be recorded", { taskId: job.id, error: String(error) }))
      .finally(() => {
        this.active--;
        this.running.delete(work);
        this.kick();
      });
    this.running.add(work);
  }

  private async perform(job: PgBoss.Job<TaskData>): Promise<void> {
    const data = job.data;
    const definition = this.options.definitions.get(data.action);
    if (!definition || (data.kind === "revert" && !definition.revert)) {
      return this.finish(job.id, { ok: false, error: { type: "UnknownAction", message: `No action named "${data.action}" on this instance` } });
    }
    try {
      await this.options.leases.acquire(data.target, this.leaseWaits.signal);
    } catch {
      return this.handBack([job.id]);
    }
    let outcome: TaskOutcome;
    try {
      const ctx = this.contextOf(data);
      const output = await (data.kind === "revert" ? definition.revert!(ctx as RevertContext) : definition.run(ctx));
      outcome = output === undefined ? { ok: true } : { ok: true, output };
    } catch (thrown) {
      const retryAfterMs = retryAfterOf(thrown);
      outcome = { ok: false, error: toTaskError(thrown), ...(retryAfterMs !== undefined && { retryAfterMs }) };
    } finally {
      await this.options.leases.release(data.target).catch(() => undefined);
    }
    // Cut short by this instance stopping: the task's real outcome is unknown, so another instance does it again.
    if (!outcome.ok && this.actions.signal.aborted) return this.handBack([job.id]);
    await this.finish(job.id, outcome);
  }

  private contextOf(data: TaskData): ActionContext | RevertContext {
    const ctx: ActionContext = {
      job: data.job,
      execution: data.execution,
      step: data.step,
      target: data.target,
      payload: data.step.payload,
      attempt: data.attempt,
      signal: this.actions.signal,
      log: withFields(this.options.logger, { jobId: data.job.id, executionId: data.execution.id, step: data.step.name, target: data.target, attempt: data.attempt }),
    };
    return data.revert ? { ...ctx, ...data.revert } : ctx;
  }

  private async finish(id: string, outcome: TaskOutcome): Promise<void> {
    await this.options.boss.complete(TASK_QUEUE, id, outcome);
    this.completed++;
    this.announce(id);
  }

  /** Back to the queue, for another instance (pg-boss counts it as a failed try and queues it again). */
  private async handBack(ids: string[]): Promise<void> {
    await this.options.boss.fail(TASK_QUEUE, ids);
  }

  private announce(id: string): void {
    this.announcing.push(id);
    if (this.announcing.length > 1) return;
    setImmediate(() => {
      const ids = this.announcing;
      this.announcing = [];
      for (let i = 0; i < ids.length; i += NOTICE_IDS) {
        this.options.pool
          .query("SELECT pg_notify($1, $2)", [this.options.doneChannel, ids.slice(i, i + NOTICE_IDS).join(",")])
          .catch((error: unknown) => this.options.logger.warn("cluster: could not announce finished tasks", { error: String(error) }));
      }
    });
  }
}
