/**
 * One writer per machine across the cluster: before a task works on a
 * target, its instance takes the target's lease row. A lease held by an
 * instance that stopped beating its heart may be taken over.
 */
import type pg from "pg";
import { deadInstance } from "./cluster-claims.js";

const POLL_MS = 100;

export class TargetLeases {
  constructor(
    private readonly pool: pg.Pool,
    /** Quoted schema name. */
    private readonly schema: string,
    private readonly instanceId: string,
    private readonly livenessSeconds: number,
  ) {}

  /** Resolves once the target is this instance's; rejects with the signal's reason if it aborts first. */
  async acquire(target: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      signal.throwIfAborted();
      const { rowCount } = await this.pool.query(
        `INSERT INTO ${this.schema}.target_leases (target, instance) VALUES ($1, $2)
         ON CONFLICT (target) DO UPDATE SET instance = EXCLUDED.instance, since = now()
         WHERE ${deadInstance(this.schema, "target_leases.instance", "$3")}`,
        [target, this.instanceId, this.livenessSeconds],
      );
      if (rowCount === 1) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, POLL_MS);
        function done(): void {
          clearTimeout(timer);
          signal.removeEventListener("abort", done);
          resolve();
        }
        signal.addEventListener("abort", done, { once: true });
      });
    }
  }

  async release(target: string): Promise<void> {
    await this.pool.query(`DELETE FROM ${this.schema}.target_leases WHERE target = $1 AND instance = $2`, [target, this.instanceId]);
  }
}
