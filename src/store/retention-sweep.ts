/**
 * When a store should look at every job's history for age-expired executions,
 * not only at the job that just ran: a job that stopped running would never be
 * looked at otherwise. Once a minute is plenty for a limit counted in days.
 */
const SWEEP_INTERVAL_MS = 60_000;

export class SweepTimer {
  private last = -Infinity;

  due(now: number): boolean {
    if (now - this.last < SWEEP_INTERVAL_MS) return false;
    this.last = now;
    return true;
  }
}
