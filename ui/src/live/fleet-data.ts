/**
 * What the fleet overview shows, gathered from the public API: machines,
 * jobs, and each job's newest runs (executions are per job, so one request
 * per job, a page each). Pure summarising functions are kept apart from the
 * loading so they can be reasoned about on their own.
 */
import { listAll, listTop } from "../api/client.js";
import { executionsPath, isFinal, JOBS, machineResults, outcomeOf, PLATFORM, type Execution, type Job, type Machine } from "../api/types.js";
import type { OutcomeBucket } from "../components/charts.js";
import type { LastResult } from "../components/fleet-map.js";

export interface FleetData {
  machines: Machine[];
  jobs: Job[];
  /** Newest first, across jobs. */
  executions: Execution[];
}

const RUNS_PER_JOB = 25;
/** Past this many jobs the overview reads the runs of the first ones only, to keep a poll cheap. */
const MAX_JOBS_READ = 100;

export async function loadFleet(): Promise<FleetData> {
  const [machines, jobs] = await Promise.all([listAll<Machine>(PLATFORM), listAll<Job>(JOBS)]);
  const withRuns = jobs.filter((j) => (j.ExecutionCount ?? 1) > 0).slice(0, MAX_JOBS_READ);
  const pages = await Promise.all(withRuns.map((j) => listTop<Execution>(executionsPath(j.Id), RUNS_PER_JOB).catch(() => ({ items: [] as Execution[], total: 0 }))));
  const executions = pages.flatMap((p) => p.items).sort((a, b) => startOf(b) - startOf(a));
  return { machines, jobs, executions };
}

export function startOf(e: Execution): number {
  return new Date(e.StartTime ?? e.ScheduledTime ?? 0).getTime();
}

export function lastDay(executions: Execution[], now = Date.now()): Execution[] {
  return executions.filter((e) => isFinal(e) && now - startOf(e) <= 86_400_000);
}

/** Hourly buckets over the last 24 hours, oldest first. */
export function hourlyOutcomes(executions: Execution[], now = Date.now()): OutcomeBucket[] {
  const hour = 3_600_000;
  const end = Math.ceil(now / hour) * hour;
  const buckets: OutcomeBucket[] = Array.from({ length: 24 }, (_, i) => {
    const at = new Date(end - (24 - i) * hour);
    return { label: `${String(at.getHours()).padStart(2, "0")}:00`, ok: 0, warning: 0, failed: 0 };
  });
  for (const e of lastDay(executions, now)) {
    const index = 23 - Math.floor((end - startOf(e) - 1) / hour);
    const bucket = buckets[index];
    if (!bucket) continue;
    const o = outcomeOf(e);
    if (o === "ok" || o === "warning" || o === "failed") bucket[o] += 1;
  }
  return buckets;
}

/** Each machine's newest result across every job's runs. */
export function lastResults(executions: Execution[]): Map<string, LastResult> {
  const last = new Map<string, LastResult>();
  // executions are newest first: the first result seen for a machine is its last one.
  for (const e of executions) {
    for (const r of machineResults(e)) {
      if (last.has(r.MachineId)) continue;
      if (r.Status === "Success") last.set(r.MachineId, { status: "ok", ...(r.EndTime ? { at: r.EndTime } : {}) });
      else if (r.Status === "Error") last.set(r.MachineId, { status: "failed", ...(r.EndTime ? { at: r.EndTime } : {}), ...(r.Message ? { message: r.Message } : {}) });
      else if (!isFinal(e)) last.set(r.MachineId, { status: "running" });
    }
  }
  return last;
}
