/**
 * One job's executions as retention reads them, kept up to date as they are
 * saved, because retention runs on every save. A job that has reached its cap
 * (100 runs by default, which a job firing every minute reaches in under two
 * hours) used to be sorted whole on each save, and every one of its runs
 * looked at for age: 65-70 us of CPU per run of a 1 000-job minute burst,
 * against 23 before the cap. With the ids in age order and a bound on the
 * oldest end, the oldest finished run is found at the front and a job with
 * nothing old enough is not looked at.
 */
import { isFinal, type Execution } from "../executions/types.js";

/** Oldest first: the order listings (newest first) read backwards. */
export function oldestFirst(a: Execution, b: Execution): number {
  const at = a.scheduledFor ?? a.startedAt ?? "";
  const bt = b.scheduledFor ?? b.startedAt ?? "";
  if (at !== bt) return at < bt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The instant retention ages a finished execution from (ms); Infinity when it has none it can read, so it never ages. */
export function agedFrom(e: Execution): number {
  const at = Date.parse(e.endedAt ?? e.startedAt ?? e.scheduledFor ?? "");
  return Number.isFinite(at) ? at : Infinity;
}

export class JobHistory {
  /** The job's execution ids, oldest first (see oldestFirst). */
  readonly ids: string[] = [];
  /**
   * No finished execution of the job ages from before this instant (ms). A
   * bound, not the minimum: deletions leave it where it was, and a look at
   * the job's runs for age sets it exactly again.
   */
  finishedFrom = Infinity;

  /** Puts a new execution in its place; `find` reads the executions already here. */
  insert(e: Execution, find: (id: string) => Execution): void {
    const ids = this.ids;
    // Runs are saved in the order they fall due, so the new one almost always goes last.
    let low = 0;
    let high = ids.length;
    if (high > 0 && oldestFirst(find(ids[high - 1]!), e) > 0) {
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (oldestFirst(find(ids[mid]!), e) < 0) low = mid + 1;
        else high = mid;
      }
    } else {
      low = high;
    }
    if (low === ids.length) ids.push(e.id);
    else ids.splice(low, 0, e.id);
    this.saw(e);
  }

  /** An execution already here was saved again: moved if what orders it changed (a manual run's start), its end noted. */
  update(prior: Execution, e: Execution, find: (id: string) => Execution): void {
    if (oldestFirst(prior, e) !== 0) {
      this.remove(e.id);
      this.insert(e, find);
    } else {
      this.saw(e);
    }
  }

  remove(id: string): void {
    const at = this.ids.indexOf(id);
    if (at >= 0) this.ids.splice(at, 1);
  }

  private saw(e: Execution): void {
    if (!isFinal(e.state)) return;
    const from = agedFrom(e);
    if (from < this.finishedFrom) this.finishedFrom = from;
  }
}
