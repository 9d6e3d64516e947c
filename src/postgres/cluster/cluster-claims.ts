/**
 * The claims of the scheduler's ClusterHooks, decided by the database: the
 * first INSERT of an occurrence wins it; a job's run slot is a row that only a
 * live instance keeps (an instance that stopped beating its heart loses it).
 */
import type pg from "pg";
import type { OverlapPolicy } from "../../jobs/types.js";
import type { ClusterHooks } from "../../scheduler/cluster-hooks.js";
import type { Logger } from "../../scheduler/logger.js";

/** SQL true when the instance named by `column` has not been seen for $n seconds. */
export function deadInstance(schema: string, column: string, secondsParam: string): string {
  return `NOT EXISTS (SELECT 1 FROM ${schema}.instances i WHERE i.id = ${column} AND i.seen_at > now() - make_interval(secs => ${secondsParam}))`;
}

export class ClusterClaims implements ClusterHooks {
  /** Runs of each job this instance holds a claim for (slot held in the database or not). */
  private readonly held = new Map<string, number>();
  /** Jobs whose slot row this instance holds. */
  private readonly slotted = new Set<string>();
  /** Claims and releases of one job go one after another. */
  private readonly chains = new Map<string, Promise<unknown>>();

  constructor(
    private readonly pool: pg.Pool,
    /** Quoted schema name. */
    private readonly schema: string,
    private readonly instanceId: string,
    private readonly livenessSeconds: number,
    private readonly logger: Logger,
  ) {}

  async claimOccurrence(jobId: string, due: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.schema}.occurrences (job_id, due, instance) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
      [jobId, due, this.instanceId],
    );
    return rowCount === 1;
  }

  claimRun(jobId: string, overlap: OverlapPolicy): Promise<boolean> {
    return this.inOrder(jobId, async () => {
      if (overlap !== "Allow" && !this.slotted.has(jobId)) {
        const { rowCount } = await this.pool.query(
          `INSERT INTO ${this.schema}.run_slots (job_id, instance) VALUES ($1, $2)
           ON CONFLICT (job_id) DO UPDATE SET instance = EXCLUDED.instance, since = now()
           WHERE run_slots.instance = EXCLUDED.instance OR ${deadInstance(this.schema, "run_slots.instance", "$3")}`,
          [jobId, this.instanceId, this.livenessSeconds],
        );
        if (rowCount !== 1) return false;
        this.slotted.add(jobId);
      }
      this.held.set(jobId, (this.held.get(jobId) ?? 0) + 1);
      return true;
    });
  }

  releaseRun(jobId: string): void {
    void this.inOrder(jobId, async () => {
      const left = (this.held.get(jobId) ?? 1) - 1;
      if (left > 0) return void this.held.set(jobId, left);
      this.held.delete(jobId);
      if (!this.slotted.delete(jobId)) return;
      await this.pool.query(`DELETE FROM ${this.schema}.run_slots WHERE job_id = $1 AND instance = $2`, [jobId, this.instanceId]);
    }).catch((error: unknown) => this.logger.error("cluster: could not give a job's run slot back", { jobId, error: String(error) }));
  }

  private inOrder<T>(jobId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(jobId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(jobId, settled);
    void settled.then(() => {
      if (this.chains.get(jobId) === settled) this.chains.delete(jobId);
    });
    return next;
  }
}
