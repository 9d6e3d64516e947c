/**
 * Reads of executions: a run in progress answers with its live record, one
 * whose record is still in the write batch with that, any other from the
 * store. Reads write nothing; every answer is a copy, except lastOutcome's
 * few fields and stats' figures, which read records in place.
 */
import { ShoalError } from "../errors.js";
import { isFinal, type Execution } from "../executions/types.js";
import type { Job } from "../jobs/types.js";
import { plainCopy } from "../store/plain-copy.js";
import type { ExecutionQuery, Page } from "../store/store.js";
import type { LiveRuns } from "./live-runs.js";
import { statsOf, type JobStats } from "./stats.js";
import type { WriteBatch } from "./write-batch.js";

/** The state and health of a job's newest run that ended. */
export interface LastOutcome {
  id: string;
  state: Execution["state"];
  health: Execution["health"];
  endedAt: string | null;
}

export class ExecutionReads {
  constructor(
    private readonly runs: LiveRuns,
    private readonly batch: WriteBatch,
  ) {}

  /** The run as it is now (live, batched or stored), not copied; undefined for an unknown id. */
  find(id: string): Execution | undefined {
    return this.runs.get(id)?.runner.record ?? this.batch.getExecution(id);
  }

  /** A copy of the run; throws a ShoalError "NotFound" for an unknown id. */
  get(id: string): Execution {
    const found = this.find(id);
    if (!found) throw new ShoalError("NotFound", `No execution "${id}"`);
    return plainCopy(found);
  }

  list(query: ExecutionQuery): Page<Execution> {
    const page = this.batch.listExecutions(query);
    return {
      total: page.total,
      items: page.items.map((e) => plainCopy(this.runs.get(e.id)?.runner.record ?? e)),
    };
  }

  /** Resolves with the final record once the run has ended (at once if it has). */
  wait(id: string): Promise<Execution> {
    const live = this.runs.get(id);
    if (live) return live.done.then((e) => plainCopy(e));
    const stored = this.batch.getExecution(id);
    if (!stored) return Promise.reject(new ShoalError("NotFound", `No execution "${id}"`));
    return Promise.resolve(plainCopy(stored));
  }

  lastOutcome(jobId: string): LastOutcome | undefined {
    for (const listed of this.batch.listExecutions({ jobId }).items) {
      // As list() answers: a run in progress reads as its live record.
      const e = this.runs.get(listed.id)?.runner.record ?? listed;
      if (e.state !== "Skipped" && isFinal(e.state)) return { id: e.id, state: e.state, health: e.health, endedAt: e.endedAt };
    }
    return undefined;
  }

  stats(job: Job): JobStats {
    return statsOf(this.batch.listExecutions({ jobId: job.id }).items, job.lastRunAt);
  }
}
