/**
 * Cluster mode: several schedulers (gateways) on one PostgreSQL schema, on
 * pg-boss for the work queue. Each instance
 * - registers itself and beats its heart, so the others can tell it died;
 * - checks its clock against the database's (schedules fire by the local clock);
 * - wins or loses, in the database, each due run and each job's run slot
 *   (ClusterHooks, given to the Scheduler), so a run starts once;
 * - sends each try of each machine to the task queue and works its own share
 *   of everybody's tasks (as many at once as its pool size);
 * - reads again the rows the others announce as changed, so every instance's
 *   API shows the same jobs, machines and runs.
 *
 * @example
 * ```ts
 * const cluster = new Cluster({ connectionString, workerPoolSize: 20 });
 * const store = cluster.createStore();
 * await store.open();
 * await cluster.open();
 * const scheduler = new Scheduler({ store, cluster: cluster.hooks, workerPoolSize: 10_000 });
 * cluster.attach(scheduler, store);
 * cluster.distributing(scheduler).defineAction("ping", { async run(ctx) { return ctx.target; } });
 * await scheduler.start();
 * cluster.startWorking();
 * ```
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import pg from "pg";
import PgBoss from "pg-boss";
import type { ActionDefinition } from "../../scheduler/actions.js";
import type { ClusterHooks } from "../../scheduler/cluster-hooks.js";
import { silentLogger, type Logger } from "../../scheduler/logger.js";
import type { Scheduler } from "../../scheduler/scheduler.js";
import type { StoreOp } from "../../store/store-state.js";
import { quoteIdentifier } from "../migrations.js";
import { PgStore, type PgStoreOptions } from "../pg-store.js";
import { changeChannel, parseNotice } from "./changed-rows.js";
import { ClusterClaims } from "./cluster-claims.js";
import { Listener } from "./listener.js";
import { RunTakeover } from "./run-takeover.js";
import { TargetLeases } from "./target-leases.js";
import { TaskDispatcher } from "./task-dispatcher.js";
import { TaskWorker } from "./task-worker.js";
import { TASK_QUEUE } from "./task-wire.js";

export interface ClusterOptions {
  connectionString: string;
  /** Shoal's schema, as the store's; pg-boss keeps its tables in `<schema>_queue`. Default "shoal". */
  schema?: string;
  /** Tasks this instance works on at once: its share of the cluster's runs. */
  workerPoolSize: number;
  logger?: Logger;
  /**
   * The stated bound for taking over a dead instance's work (default 30 s, at
   * least 10): its run slots and machine leases are free after half of it, its
   * tasks in progress are queued again within it.
   */
  takeoverSeconds?: number;
  /** This instance's clock (tests). */
  now?: () => number;
}

export interface ClusterStatus {
  instanceId: string;
  /** The database's clock minus this host's, measured at open. */
  clockOffsetMs: number | null;
  worker: { capacity: number; active: number; completed: number };
  /** Tasks this instance sent and waits for. */
  dispatched: number;
  /** Runs of dead instances this one took over. */
  runsAdopted: number;
}

/** Beyond this, the instance says so in its log: due runs would fire early or late against the others. */
const CLOCK_TOLERANCE_MS = 1000;
const DEFAULT_TAKEOVER_SECONDS = 30;
/** How often pg-boss looks for expired tasks (one instance does it for all). */
const MAINTENANCE_SECONDS = 5;
/** Tries of one task (including hand-backs and expiries) before it counts as lost. */
const TASK_RETRY_LIMIT = 5;
/** How stale another instance's run may be in this one's API. */
const RUN_RELOAD_MS = 1000;
/** Claims on due runs older than this are forgotten. */
const OCCURRENCE_KEEP_DAYS = 7;
/** First key of the advisory lock under which one instance at a time makes the task queue ("shqu" in ASCII); the second is the schema name's hash. */
export const QUEUE_LOCK = 0x73687175;

export class Cluster {
  readonly instanceId: string;
  /** What the Scheduler is given as `cluster`. */
  readonly hooks: ClusterHooks;
  private readonly schema: string;
  private readonly quoted: string;
  private readonly pool: pg.Pool;
  private readonly boss: PgBoss;
  private readonly logger: Logger;
  private readonly takeoverSeconds: number;
  private readonly livenessSeconds: number;
  private readonly definitions = new Map<string, ActionDefinition>();
  private readonly dispatcher: TaskDispatcher;
  private readonly listener: Listener;
  private readonly takeover: RunTakeover;
  private worker: TaskWorker | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private clockOffsetMs: number | null = null;
  private scheduler: Scheduler | undefined;
  private store: PgStore | undefined;
  private onRecords: ((kinds: Set<string>) => void) | undefined;
  private readonly changed = new Set<string>();
  /** Runs another instance changed, read again at most once a second: a run saves as each machine ends. */
  private readonly changedRuns = new Set<string>();
  private runTimer: NodeJS.Timeout | undefined;
  private reloading = false;

  constructor(private readonly options: ClusterOptions) {
    this.schema = options.schema ?? "shoal";
    this.quoted = quoteIdentifier(this.schema);
    this.instanceId = `${hostname()}/${process.pid}/${randomBytes(3).toString("hex")}`;
    this.logger = options.logger ?? silentLogger;
    this.takeoverSeconds = Math.max(10, options.takeoverSeconds ?? DEFAULT_TAKEOVER_SECONDS);
    this.livenessSeconds = this.takeoverSeconds / 2;
    this.pool = new pg.Pool({ connectionString: options.connectionString, max: 8, application_name: `shoal cluster ${this.instanceId}`.slice(0, 63) });
    this.pool.on("error", (error) => this.logger.warn("cluster: a database connection failed", { error: String(error) }));
    const bossSchema = `${this.schema}_queue`;
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: bossSchema,
      max: 4,
      application_name: `shoal queue ${this.instanceId}`.slice(0, 63),
      schedule: false,
      maintenanceIntervalSeconds: MAINTENANCE_SECONDS,
    });
    this.boss.on("error", (error) => this.logger.warn("cluster: the task queue reported an error", { error: String(error) }));
    this.hooks = new ClusterClaims(this.pool, this.quoted, this.instanceId, this.livenessSeconds, this.logger);
    this.dispatcher = new TaskDispatcher({
      boss: this.boss,
      pool: this.pool,
      bossSchema: quoteIdentifier(bossSchema),
      expireInSeconds: this.takeoverSeconds - MAINTENANCE_SECONDS,
      retryLimit: TASK_RETRY_LIMIT,
      onQueued: () => void this.pool.query("SELECT pg_notify($1, '')", [this.channel("tasks")]).catch(() => undefined),
      logger: this.logger,
    });
    this.takeover = new RunTakeover(this.pool, this.quoted, this.instanceId, this.livenessSeconds, this.logger, this.hooks);
    this.listener = new Listener({
      connectionString: options.connectionString,
      channels: [changeChannel(this.schema), this.channel("tasks"), this.channel("done")],
      onNotice: (channel, payload) => this.notice(channel, payload),
      onReconnect: () => void this.resync(),
      logger: this.logger,
    });
  }

  /** A PgStore on the cluster's schema that announces its commits as this instance. */
  createStore(options: Omit<PgStoreOptions, "connectionString" | "schema" | "announceAs" | "exclusive"> = {}): PgStore {
    return new PgStore({ ...options, connectionString: this.options.connectionString, schema: this.schema, announceAs: this.instanceId });
  }

  /** Registers this instance, checks its clock and starts the queue. Open the store first: it makes the tables. */
  async open(): Promise<void> {
    await this.pool.query(`INSERT INTO ${this.quoted}.instances (id) VALUES ($1)`, [this.instanceId]);
    this.heartbeat = setInterval(() => void this.beat(), (this.livenessSeconds * 1000) / 3);
    this.heartbeat.unref();
    await this.checkClock();
    await this.boss.start();
    await this.ensureQueue();
    await this.listener.open();
    this.logger.info("cluster: joined", { instance: this.instanceId, takeoverSeconds: this.takeoverSeconds, workerPoolSize: this.options.workerPoolSize });
  }

  /**
   * Makes the task queue unless another instance has. pg-boss's createQueue
   * inserts the queue's row, then makes its partition with a foreign key to the
   * queue table: two instances doing it at once deadlock (each waits on a lock
   * the other holds) and PostgreSQL aborts one, which then failed to start. Seen
   * in 1 of 30 rounds of six instances joining a fresh database together. So one
   * instance at a time makes it, under a transaction-scoped advisory lock (gone
   * with the transaction or the connection), and the others find it made.
   */
  private async ensureQueue(): Promise<void> {
    const client = await this.pool.connect();
    let failed: Error | undefined;
    try {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [QUEUE_LOCK, this.schema]);
      if ((await this.boss.getQueue(TASK_QUEUE)) === null) {
        await this.boss.createQueue(TASK_QUEUE, { name: TASK_QUEUE, retryLimit: TASK_RETRY_LIMIT, retryDelay: 0 });
      }
      await client.query("COMMIT");
    } catch (error) {
      failed = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // A connection whose transaction failed is closed, not handed back with the lock still held.
      client.release(failed);
    }
  }

  /**
   * Keeps `scheduler` and `store` in step with the other instances' writes.
   * `onRecords` hears which kinds of embedder records changed (the gateway reloads its machines).
   */
  attach(scheduler: Scheduler, store: PgStore, onRecords?: (kinds: Set<string>) => void): void {
    this.scheduler = scheduler;
    this.store = store;
    this.onRecords = onRecords;
    this.takeover.attach(scheduler, store);
  }

  /**
   * The scheduler as the code that defines actions should see it: each
   * action's run and revert go through the task queue; validate, plan and
   * afterTask stay on this instance.
   */
  distributing<S extends Pick<Scheduler, "defineAction">>(scheduler: S): S {
    return new Proxy(scheduler, {
      get: (target, property, receiver) => {
        if (property !== "defineAction") return Reflect.get(target, property, receiver) as unknown;
        return (name: string, definition: ActionDefinition) => {
          this.definitions.set(name, definition);
          return target.defineAction(name, this.dispatcher.wrap(name, definition));
        };
      },
    });
  }

  /** Starts taking this instance's share of the tasks; once every action is defined. */
  startWorking(): void {
    this.worker ??= new TaskWorker({
      boss: this.boss,
      pool: this.pool,
      leases: new TargetLeases(this.pool, this.quoted, this.instanceId, this.livenessSeconds),
      definitions: this.definitions,
      capacity: this.options.workerPoolSize,
      doneChannel: this.channel("done"),
      logger: this.logger,
    });
    this.worker.kick();
    void this.takeover.sweep();
  }

  /**
   * Takes no more tasks: those waiting for a machine go back to the queue at
   * once, those in progress get `graceMs`. The runs this instance drives go
   * on, their tasks done by the other instances.
   */
  async stopWorking(graceMs: number): Promise<void> {
    await this.worker?.close(graceMs);
  }

  get status(): ClusterStatus {
    return {
      instanceId: this.instanceId,
      clockOffsetMs: this.clockOffsetMs,
      worker: this.worker?.status ?? { capacity: this.options.workerPoolSize, active: 0, completed: 0 },
      runsAdopted: this.takeover.adopted,
      dispatched: this.dispatcher.outstanding,
    };
  }

  /**
   * Leaves the cluster (after stopWorking(), or doing it with `graceMs`). Call
   * after the scheduler has stopped (its runs are over) and before the store closes.
   */
  async close(graceMs = 10_000): Promise<void> {
    await this.worker?.close(graceMs);
    this.dispatcher.close();
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.runTimer) clearTimeout(this.runTimer);
    await this.listener.close();
    await this.boss.stop({ graceful: false, wait: true, close: true }).catch(() => undefined);
    await this.pool
      .query(
        `WITH slots AS (DELETE FROM ${this.quoted}.run_slots WHERE instance = $1),
              leases AS (DELETE FROM ${this.quoted}.target_leases WHERE instance = $1)
         DELETE FROM ${this.quoted}.instances WHERE id = $1`,
        [this.instanceId],
      )
      .catch((error: unknown) => this.logger.warn("cluster: could not sign off", { error: String(error) }));
    await this.pool.end();
    this.logger.info("cluster: left", { instance: this.instanceId, tasksDone: this.worker?.status.completed ?? 0, runsAdopted: this.takeover.adopted });
  }

  private channel(name: "tasks" | "done"): string {
    return `${this.schema}_${name}`;
  }

  private async checkClock(): Promise<void> {
    const now = this.options.now ?? Date.now;
    const before = now();
    const { rows } = await this.pool.query<{ ms: number }>("SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms");
    const after = now();
    const offset = Math.round(rows[0]!.ms - (before + after) / 2);
    this.clockOffsetMs = offset;
    if (Math.abs(offset) > CLOCK_TOLERANCE_MS) {
      this.logger.warn("cluster: this host's clock differs from the database's; due runs will fire early or late against the other instances", {
        offsetMs: offset,
        toleranceMs: CLOCK_TOLERANCE_MS,
      });
    } else {
      this.logger.info("cluster: clock agrees with the database's", { offsetMs: offset });
    }
  }

  private async beat(): Promise<void> {
    try {
      await this.pool.query(`UPDATE ${this.quoted}.instances SET seen_at = now() WHERE id = $1`, [this.instanceId]);
      if (this.worker) await this.takeover.sweep();
      await this.pool.query(
        `DELETE FROM ${this.quoted}.occurrences WHERE claimed_at < now() - make_interval(days => $1)`,
        [OCCURRENCE_KEEP_DAYS],
      );
    } catch (error) {
      this.logger.warn("cluster: heartbeat failed", { error: String(error) });
    }
  }

  private notice(channel: string, payload: string | undefined): void {
    if (channel === this.channel("tasks")) return this.worker?.kick();
    if (channel === this.channel("done")) return this.dispatcher.done((payload ?? "").split(","));
    const notice = parseNotice(payload);
    if (notice === null || notice.origin === this.instanceId) return;
    for (const key of notice.keys) (key.startsWith("execution:") ? this.changedRuns : this.changed).add(key);
    if (this.changedRuns.size > 0) {
      this.runTimer ??= setTimeout(() => {
        this.runTimer = undefined;
        for (const key of this.changedRuns) this.changed.add(key);
        this.changedRuns.clear();
        void this.reload();
      }, RUN_RELOAD_MS);
    }
    void this.reload();
  }

  /** Reads the announced rows, one batch at a time, and tells the scheduler and the embedder. */
  private async reload(): Promise<void> {
    if (this.reloading || !this.store) return;
    this.reloading = true;
    try {
      while (this.changed.size > 0) {
        const keys = [...this.changed];
        this.changed.clear();
        this.apply(await this.store.reload(keys));
      }
    } catch (error) {
      this.logger.error("cluster: could not read another instance's changes", { error: String(error) });
    } finally {
      this.reloading = false;
    }
  }

  private apply(ops: StoreOp[]): void {
    const kinds = new Set<string>();
    for (const op of ops) {
      if (op.op === "putJob") this.scheduler?.syncJob(op.job.id, op.job);
      else if (op.op === "deleteJob") this.scheduler?.syncJob(op.id, undefined);
      else if (op.op === "putRecord" || op.op === "deleteRecord") kinds.add(op.kind);
    }
    if (kinds.size > 0) this.onRecords?.(kinds);
  }

  /** After a lost connection: everything that may have changed meanwhile is read again. */
  private async resync(): Promise<void> {
    if (!this.store) return;
    try {
      const { rows: jobs } = await this.pool.query<{ id: string }>(`SELECT id FROM ${this.quoted}.jobs`);
      const { rows: records } = await this.pool.query<{ kind: string; id: string }>(`SELECT kind, id FROM ${this.quoted}.records`);
      const { rows: runs } = await this.pool.query<{ id: string }>(`SELECT id FROM ${this.quoted}.executions WHERE state IN ('Running', 'Pending')`);
      for (const job of this.store.listJobs()) this.changed.add(`job:${job.id}`);
      for (const r of jobs) this.changed.add(`job:${r.id}`);
      for (const r of records) this.changed.add(`record:${r.kind}\u0000${r.id}`);
      for (const r of runs) this.changed.add(`execution:${r.id}`);
      await this.reload();
    } catch (error) {
      this.logger.error("cluster: could not read the state again after a lost connection", { error: String(error) });
    }
  }
}
