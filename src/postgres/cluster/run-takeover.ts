/**
 * Runs outlive the instance that drives them. Each instance records the runs
 * it drives (a row per run, while it runs); when an instance stops beating
 * its heart, another claims its rows (one winner per row, SKIP LOCKED) and
 * adopts each run: reads it as last saved, and drives on what had not ended
 * (Scheduler.adoptExecution). A revert run, or one whose job is gone, is not
 * adopted: it ends Interrupted.
 */
import type pg from "pg";
import { isFinal, type Execution } from "../../executions/types.js";
import { interruptedRun } from "../../scheduler/interrupted-run.js";
import type { ClusterHooks } from "../../scheduler/cluster-hooks.js";
import type { Logger } from "../../scheduler/logger.js";
import type { Scheduler } from "../../scheduler/scheduler.js";
import type { PgStore } from "../pg-store.js";
import { deadInstance } from "./cluster-claims.js";

export class RunTakeover {
  /** Driver rows are written one after another, so a run's end never overtakes its start. */
  private writes: Promise<unknown> = Promise.resolve();
  private sweeping = false;
  private scheduler: Scheduler | undefined;
  private store: PgStore | undefined;
  /** Runs adopted since start. */
  adopted = 0;

  constructor(
    private readonly pool: pg.Pool,
    /** Quoted schema name. */
    private readonly schema: string,
    private readonly instanceId: string,
    private readonly livenessSeconds: number,
    private readonly logger: Logger,
    private readonly claims: ClusterHooks,
  ) {}

  attach(scheduler: Scheduler, store: PgStore): void {
    this.scheduler = scheduler;
    this.store = store;
    scheduler.on("executionStarted", (e) =>
      this.write(
        `INSERT INTO ${this.schema}.run_drivers (execution_id, job_id, instance) VALUES ($1, $2, $3)
         ON CONFLICT (execution_id) DO UPDATE SET instance = EXCLUDED.instance, since = now()`,
        [e.id, e.jobId, this.instanceId],
      ),
    );
    scheduler.on("executionFinished", (e) =>
      this.write(`DELETE FROM ${this.schema}.run_drivers WHERE execution_id = $1 AND instance = $2`, [e.id, this.instanceId]),
    );
  }

  /** Claims the runs of dead instances and drives them on here. */
  async sweep(): Promise<void> {
    if (this.sweeping || !this.scheduler || !this.store) return;
    this.sweeping = true;
    try {
      const { rows } = await this.pool.query<{ execution_id: string; previous: string }>(
        `WITH orphans AS (
           SELECT execution_id, instance FROM ${this.schema}.run_drivers
           WHERE ${deadInstance(this.schema, "run_drivers.instance", "$2")}
           FOR UPDATE SKIP LOCKED
         )
         UPDATE ${this.schema}.run_drivers d SET instance = $1, since = now()
         FROM orphans o WHERE d.execution_id = o.execution_id
         RETURNING d.execution_id, o.instance AS previous`,
        [this.instanceId, this.livenessSeconds],
      );
      for (const row of rows) await this.adopt(row.execution_id, row.previous);
    } catch (error) {
      this.logger.error("cluster: could not look for runs left by dead instances", { error: String(error) });
    } finally {
      this.sweeping = false;
    }
  }

  private async adopt(executionId: string, previous: string): Promise<void> {
    const scheduler = this.scheduler!;
    const store = this.store!;
    try {
      await store.reload([`execution:${executionId}`]);
      const orphan = store.getExecution(executionId);
      if (orphan === undefined || isFinal(orphan.state)) {
        await this.write(`DELETE FROM ${this.schema}.run_drivers WHERE execution_id = $1`, [executionId]);
        return;
      }
      if (orphan.trigger === "Revert" || !knowsJob(scheduler, orphan.jobId)) {
        await store.saveExecution(interruptedRun(orphan, new Date().toISOString()) satisfies Execution);
        await this.write(`DELETE FROM ${this.schema}.run_drivers WHERE execution_id = $1`, [executionId]);
        return;
      }
      // The dead instance's run slot (overlap Skip or Queue) passes to this one with the run.
      const job = scheduler.getJob(orphan.jobId);
      const holdsSlot = await this.claims.claimRun(job.id, job.policy.overlap);
      try {
        scheduler.adoptExecution(orphan, { holdsSlot });
      } catch (error) {
        if (holdsSlot) this.claims.releaseRun(job.id);
        throw error;
      }
      this.adopted++;
      this.logger.warn("cluster: took over a run whose instance stopped answering", { executionId, jobId: orphan.jobId, from: previous });
    } catch (error) {
      // Left for the next sweep (here or elsewhere): the row goes back to the dead instance.
      this.logger.error("cluster: could not take over a run", { executionId, error: String(error) });
      await this.pool
        .query(`UPDATE ${this.schema}.run_drivers SET instance = $2 WHERE execution_id = $1 AND instance = $3`, [executionId, previous, this.instanceId])
        .catch(() => undefined);
    }
  }

  private write(text: string, values: unknown[]): Promise<void> {
    const next = this.writes.then(() => this.pool.query(text, values));
    this.writes = next.catch((error: unknown) => this.logger.error("cluster: could not record which instance drives a run", { error: String(error) }));
    return next.then(() => undefined);
  }
}

function knowsJob(scheduler: Scheduler, jobId: string): boolean {
  try {
    scheduler.getJob(jobId);
    return true;
  } catch {
    return false;
  }
}
