import type { Execution } from "../../../src/executions/types.js";
import type { Job } from "../../../src/jobs/types.js";
import type { ExecutionQuery, Page, Store } from "../../../src/store/store.js";

/**
 * Just enough of the core Store for the gateway's tests, until the memory
 * store lands from the scheduler branch. Records are copied through JSON, as
 * a real store would serialise them.
 */
export class FakeStore implements Store {
  readonly records = new Map<string, Map<string, unknown>>();
  readonly jobs = new Map<string, Job>();
  readonly executions = new Map<string, Execution>();
  writes = 0;
  /** Set to make the next writes fail, as a full disk would. */
  failWrites = false;

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async flush(): Promise<void> {}

  listJobs(): Job[] {
    return [...this.jobs.values()];
  }
  async saveJob(job: Job): Promise<void> {
    this.write();
    this.jobs.set(job.id, structuredClone(job));
  }
  async deleteJob(id: string): Promise<void> {
    this.write();
    this.jobs.delete(id);
  }
  async saveExecution(execution: Execution): Promise<void> {
    this.write();
    this.executions.set(execution.id, structuredClone(execution));
  }
  getExecution(id: string): Execution | undefined {
    return this.executions.get(id);
  }
  listExecutions(query: ExecutionQuery = {}): Page<Execution> {
    const all = [...this.executions.values()].filter(
      (e) => (!query.jobId || e.jobId === query.jobId) && (!query.state || e.state === query.state),
    );
    const offset = query.offset ?? 0;
    return { items: all.slice(offset, offset + (query.limit ?? all.length)), total: all.length };
  }

  listRecords<T>(kind: string): T[] {
    return [...(this.records.get(kind)?.values() ?? [])].map((r) => JSON.parse(JSON.stringify(r)) as T);
  }
  async saveRecord<T>(kind: string, id: string, value: T): Promise<void> {
    this.write();
    const bucket = this.records.get(kind) ?? new Map<string, unknown>();
    bucket.set(id, JSON.parse(JSON.stringify(value)));
    this.records.set(kind, bucket);
  }
  async deleteRecord(kind: string, id: string): Promise<void> {
    this.write();
    this.records.get(kind)?.delete(id);
  }

  private write(): void {
    if (this.failWrites) throw new Error("disk full");
    this.writes++;
  }
}
