import type { OverlapPolicy } from "../jobs/types.js";

/**
 * What the scheduler asks when it is one of several sharing a store (see
 * `shoal/postgres`'s Cluster). Without these hooks it assumes it is alone.
 * Each claim is decided by the shared database, so exactly one instance gets
 * a yes.
 */
export interface ClusterHooks {
  /** Whether this instance starts the run of `jobId` due at `due` (ms); every instance's timer asks. */
  claimOccurrence(jobId: string, due: number): Promise<boolean>;
  /**
   * Whether a new run of the job may start here: false when another live
   * instance is running the job and the overlap policy does not allow two.
   * A yes holds the job's cluster-wide slot until releaseRun().
   */
  claimRun(jobId: string, overlap: OverlapPolicy): Promise<boolean>;
  /** One claimRun's run has ended (or never began); the slot goes once this instance has none left. */
  releaseRun(jobId: string): void;
}
