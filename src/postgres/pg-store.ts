/**
 * The Store on PostgreSQL, for operators who keep state in a database rather
 * than a file. Same contract as the MemoryStore and the FileStore: reads are
 * answered from the working set in memory, loaded at open; a write changes
 * that working set at once and resolves when its transaction has committed.
 *
 * Writes issued while a transaction is in flight are committed together in the
 * next one (group commit, as the FileStore does with its journal), and within
 * a batch only the last write of each row is sent: a run over 2 000 machines
 * that saves its record as each one ends costs a few transactions, not 2 000.
 * A batch is all or nothing; a failed one fails every write in it.
 *
 * Loaded only through the `shoal/postgres` entry point, so an embedder of the
 * core who does not use it never loads the driver.
 */
import { hostname } from "node:os";
import pg from "pg";
import { ShoalError } from "../errors.js";
import type { Execution } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { StateStore, type StateStoreOptions } from "../store/state-store.js";
import type { StoreOp } from "../store/store-state.js";
import { announcements, readRows, type Statement } from "./cluster/changed-rows.js";
import { migrate, quoteIdentifier } from "./migrations.js";

export interface PgStoreOptions extends StateStoreOptions {
  /** A libpq connection string, e.g. `postgres://shoal@db.example/shoal`. Ignored when `pool` is given. */
  connectionString?: string;
  /** A pool of your own; the store does not end it on close. */
  pool?: pg.Pool;
  /** The schema holding Shoal's tables (created when missing); default "shoal". */
  schema?: string;
  /**
   * Hold the schema for this store alone (default true): a second store on the
   * same schema refuses to open, naming the holder, so two schedulers never
   * both run every job. The hold ends with the holder's connection, so a
   * process that died does not keep it. Default false in cluster mode.
   */
  exclusive?: boolean;
  /**
   * Cluster mode: every commit also announces the rows it changed, under this
   * name, so the other instances on the schema read them again (see Cluster).
   */
  announceAs?: string;
}

export interface PgStoreStats {
  /** Transactions committed. */
  transactions: number;
  /** Changes committed (after coalescing rewrites of one row within a batch). */
  changes: number;
}

/** Another store holds the schema: two schedulers on one schema would both run every job. */
export class SchemaHeldError extends ShoalError {
  constructor(
    readonly schema: string,
    readonly holder: string | null,
  ) {
    super(
      "StoreError",
      `The PostgreSQL schema "${schema}" is in use by another Shoal${holder ? ` (${holder})` : ""}. ` +
        "Stop that one first, or give this one a schema of its own.",
    );
    this.name = "SchemaHeldError";
  }
}

/** First key of the schema's advisory lock ("shol" in ASCII); the second is the schema name's hash. */
const SCHEMA_LOCK = 0x73686f6c;

interface Pending {
  /** The row this write replaces or removes: a later write of the same row in a batch supersedes it. */
  key: string;
  /**
   * Made when the batch is sent, for the last write of each row only: a run's
   * row is serialised once per transaction, however many of its machines
   * ended meanwhile, and with its newest state.
   */
  statements: () => Statement[];
  /** What takes the change back out of memory if its transaction fails. */
  undo: StoreOp[];
  done: () => void;
  fail: (error: unknown) => void;
}

export class PgStore extends StateStore {
  readonly schema: string;
  private readonly ownsPool: boolean;
  private readonly options: PgStoreOptions;
  private pool: pg.Pool | undefined;
  /** The connection that holds the schema's advisory lock while the store is open. */
  private holder: pg.PoolClient | undefined;
  private opening: Promise<void> | undefined;
  private pending: Pending[] = [];
  /** Rows of the batch being committed: a reload must not overwrite them with what the database had before. */
  private readonly sending = new Set<string>();
  private committing: Promise<void> | undefined;
  private isOpen = false;
  private readonly counters: PgStoreStats = { transactions: 0, changes: 0 };

  constructor(options: PgStoreOptions) {
    if (options.pool === undefined && !options.connectionString) {
      throw new TypeError("PgStore needs a connectionString or a pool");
    }
    super(options);
    this.options = options;
    this.schema = options.schema ?? "shoal";
    quoteIdentifier(this.schema);
    this.ownsPool = options.pool === undefined;
  }

  get stats(): PgStoreStats {
    return { ...this.counters };
  }

  /** Connects, migrates the schema and loads the working set; a second call does nothing. */
  open(): Promise<void> {
    this.opening ??= this.load().catch(async (error: unknown) => {
      this.opening = undefined;
      this.holder?.release();
      this.holder = undefined;
      if (this.ownsPool) await this.pool?.end().catch(() => undefined);
      this.pool = undefined;
      throw storeError("Cannot open the PostgreSQL store", error);
    });
    return this.opening;
  }

  private async load(): Promise<void> {
    const quoted = quoteIdentifier(this.schema);
    this.pool =
      this.options.pool ??
      new pg.Pool({
        connectionString: this.options.connectionString,
        max: 4,
        // Shown in pg_stat_activity, and named by a second store that finds the schema held.
        application_name: `shoal ${process.pid}@${hostname()}`.slice(0, 63),
      });
    if (this.options.exclusive ?? this.options.announceAs === undefined) this.holder = await this.hold(this.pool);
    const client = await this.pool.connect();
    try {
      await migrate(client, this.schema);
      const jobs = await client.query<{ data: Job }>(`SELECT data FROM ${quoted}.jobs`);
      for (const row of jobs.rows) this.state.apply({ op: "putJob", job: row.data });
      const executions = await client.query<{ data: Execution }>(`SELECT data FROM ${quoted}.executions`);
      for (const row of executions.rows) this.state.apply({ op: "putExecution", execution: row.data });
      const records = await client.query<{ kind: string; id: string; value: unknown }>(`SELECT kind, id, value FROM ${quoted}.records`);
      for (const row of records.rows) this.state.apply({ op: "putRecord", kind: row.kind, id: row.id, value: row.value });
    } finally {
      client.release();
    }
    this.isOpen = true;
  }

  async close(): Promise<void> {
    if (!this.isOpen) return;
    await this.flush();
    this.isOpen = false;
    this.opening = undefined;
    this.holder?.release();
    this.holder = undefined;
    if (this.ownsPool) await this.pool?.end();
    this.pool = undefined;
  }

  /** Resolves when every write issued so far has committed (or failed). */
  async flush(): Promise<void> {
    while (this.committing || this.pending.length > 0) {
      await (this.committing ?? this.commitSoon());
    }
  }

  /** Takes the schema's advisory lock on a connection of its own, or says who has it. */
  private async hold(pool: pg.Pool): Promise<pg.PoolClient> {
    const client = await pool.connect();
    try {
      const taken = await client.query<{ held: boolean }>("SELECT pg_try_advisory_lock($1, hashtext($2)) AS held", [SCHEMA_LOCK, this.schema]);
      if (taken.rows[0]?.held) return client;
      const holder = await client.query<{ name: string; since: Date }>(
        "SELECT a.application_name AS name, a.backend_start AS since FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid " +
          "WHERE l.locktype = 'advisory' AND l.classid = $1 AND l.objid = hashtext($2)::oid AND l.granted LIMIT 1",
        [SCHEMA_LOCK, this.schema],
      );
      const who = holder.rows[0];
      throw new SchemaHeldError(this.schema, who ? `${who.name || "unnamed client"}, connected since ${who.since.toISOString()}` : null);
    } catch (error) {
      client.release();
      throw error;
    }
  }

  /**
   * Applies a change in memory now, and resolves once its transaction commits.
   * A machine's result within a run rewrites the whole run row, coalesced with
   * the run's other saves in the batch.
   */
  protected write(change: StoreOp): Promise<void> {
    if (!this.isOpen) return Promise.reject(new ShoalError("StoreError", "The PostgreSQL store is not open"));
    const undo = this.state.inverseOf(change);
    this.state.apply(change);
    const statements = statementsFor(change, (id) => this.state.getExecution(id), (id) => this.state.getJob(id));
    const key = keyOf(change);
    return new Promise((done, fail) => {
      this.pending.push({ key, statements, undo, done, fail });
      void this.commitSoon();
    });
  }

  private commitSoon(): Promise<void> {
    if (!this.committing) {
      this.committing = this.commitAll().finally(() => {
        this.committing = undefined;
        if (this.pending.length > 0) void this.commitSoon();
      });
    }
    return this.committing;
  }

  private async commitAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      const last = new Map<string, number>();
      batch.forEach((p, i) => last.set(p.key, i));
      const sent = batch.filter((p, i) => last.get(p.key) === i);
      const origin = this.options.announceAs;
      for (const p of sent) this.sending.add(p.key);
      try {
        const notices = origin === undefined ? [] : announcements(this.schema, origin, sent.map((p) => p.key));
        await this.transaction([...sent.flatMap((p) => p.statements()), ...notices]);
        this.counters.transactions++;
        this.counters.changes += sent.length;
        for (const p of batch) p.done();
      } catch (error) {
        const failure = storeError("Cannot write to the PostgreSQL store", error);
        // Nothing half-applied: the batch's changes leave memory too, newest first.
        for (let i = batch.length - 1; i >= 0; i--) for (const change of batch[i]!.undo) this.state.apply(change);
        for (const p of batch) p.fail(failure);
      } finally {
        this.sending.clear();
      }
    }
  }

  /**
   * Reads the rows another instance announced (see announceAs) into the
   * working set, and returns the changes applied. Rows this store is writing
   * itself are left alone: its own write is newer and will be announced.
   */
  async reload(keys: Iterable<string>): Promise<StoreOp[]> {
    if (!this.isOpen || this.pool === undefined) return [];
    const mine = new Set([...this.sending, ...this.pending.map((p) => p.key)]);
    const wanted = [...keys].filter((k) => !mine.has(k));
    if (wanted.length === 0) return [];
    const client = await this.pool.connect();
    let ops: StoreOp[];
    try {
      await client.query("BEGIN READ ONLY");
      await client.query(`SET LOCAL search_path TO ${quoteIdentifier(this.schema)}`);
      ops = await readRows(client, wanted);
      await client.query("COMMIT");
    } finally {
      client.release();
    }
    const late = new Set([...this.sending, ...this.pending.map((p) => p.key)]);
    const applied = ops.filter((op) => !late.has(keyOf(op)));
    for (const op of applied) this.state.apply(op);
    return applied;
  }

  private async transaction(statements: Statement[]): Promise<void> {
    const client = await (this.pool as pg.Pool).connect();
    let broken = false;
    try {
      await client.query("BEGIN");
      // Statements name bare tables; this transaction finds them in Shoal's schema, whatever the pool's settings.
      await client.query(`SET LOCAL search_path TO ${quoteIdentifier(this.schema)}`);
      for (const s of statements) await client.query(s.text, s.values);
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {
        broken = true;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  }
}

function keyOf(change: StoreOp): string {
  switch (change.op) {
    case "putJob":
      return `job:${change.job.id}`;
    case "putJobRun":
    case "deleteJob":
      return `job:${change.id}`;
    case "putExecution":
      return `execution:${change.execution.id}`;
    case "deleteExecution":
      return `execution:${change.id}`;
    case "putTarget":
      return `execution:${change.executionId}`;
    case "putRecord":
    case "deleteRecord":
      return `record:${change.kind}\u0000${change.id}`;
  }
}

/**
 * Jobs and records are serialised at once (the caller may change its object
 * before the batch is sent); a run's row is serialised when sent, from the
 * record in memory, which is the newest state of that run.
 */
function statementsFor(change: StoreOp, execution: (id: string) => Execution | undefined, job: (id: string) => Job | undefined): () => Statement[] {
  if (change.op === "putExecution" || change.op === "putTarget") return () => statementsOf(change, execution);
  // A run's change to a job is the whole stored job (the row holds one JSON document), as it is now.
  const stored = change.op === "putJobRun" ? job(change.id) : undefined;
  const now = change.op === "putJobRun" ? (stored ? statementsOf({ op: "putJob", job: stored }, execution) : []) : statementsOf(change, execution);
  return () => now;
}

function statementsOf(change: Exclude<StoreOp, { op: "putJobRun" }>, execution: (id: string) => Execution | undefined): Statement[] {
  switch (change.op) {
    case "putJob":
      return [
        {
          text: "INSERT INTO jobs (id, data) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET data = EXCLUDED.data",
          values: [change.job.id, JSON.stringify(change.job)],
        },
      ];
    case "deleteJob":
      return [
        { text: "DELETE FROM executions WHERE job_id = $1", values: [change.id] },
        { text: "DELETE FROM jobs WHERE id = $1", values: [change.id] },
      ];
    case "putTarget": {
      const e = execution(change.executionId);
      return e ? statementsOf({ op: "putExecution", execution: e }, execution) : [];
    }
    case "putExecution": {
      const e = execution(change.execution.id) ?? change.execution;
      return [
        {
          text:
            "INSERT INTO executions (id, job_id, sort_at, state, data) VALUES ($1, $2, $3, $4, $5) " +
            "ON CONFLICT (id) DO UPDATE SET job_id = EXCLUDED.job_id, sort_at = EXCLUDED.sort_at, state = EXCLUDED.state, data = EXCLUDED.data",
          values: [e.id, e.jobId, e.scheduledFor ?? e.startedAt ?? "", e.state, JSON.stringify(e)],
        },
      ];
    }
    case "deleteExecution":
      return [{ text: "DELETE FROM executions WHERE id = $1", values: [change.id] }];
    case "putRecord":
      return [
        {
          text: "INSERT INTO records (kind, id, value) VALUES ($1, $2, $3) ON CONFLICT (kind, id) DO UPDATE SET value = EXCLUDED.value",
          values: [change.kind, change.id, JSON.stringify(change.value)],
        },
      ];
    case "deleteRecord":
      return [{ text: "DELETE FROM records WHERE kind = $1 AND id = $2", values: [change.kind, change.id] }];
  }
}

function storeError(what: string, error: unknown): ShoalError {
  if (error instanceof ShoalError) return error;
  return new ShoalError("StoreError", `${what}: ${error instanceof Error ? error.message : String(error)}`);
}
