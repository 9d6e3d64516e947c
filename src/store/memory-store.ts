import type { Job } from "../jobs/types.js";
import { plainCopy } from "./plain-copy.js";
import { StateStore, type StateStoreOptions } from "./state-store.js";
import type { StoreOp } from "./store-state.js";

/** Both optional. */
export interface MemoryStoreOptions extends StateStoreOptions {}

/**
 * The Store kept in process memory: for tests, and for embedders that need no
 * durability. Every write stores a copy, so later changes to the caller's object
 * do not leak in, just as they would not reach a file. Reads return the stored
 * objects themselves, for speed; treat them as read-only.
 *
 * open() and close() keep the data, so a second scheduler can be started on the
 * same instance to play a process restart.
 */
export class MemoryStore extends StateStore {
  constructor(options: MemoryStoreOptions = {}) {
    super(options);
  }

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async flush(): Promise<void> {}

  /** Copies, so a scheduler that takes them over cannot change what was saved. */
  override listJobs(): Job[] {
    return super.listJobs().map((job) => plainCopy(job));
  }

  /** Nothing to make durable: the change (a copy of what it carries) is applied, and that is all. */
  protected async write(change: StoreOp): Promise<void> {
    this.state.apply(copyOf(change));
  }
}

function copyOf(change: StoreOp): StoreOp {
  switch (change.op) {
    case "putJob":
      return { ...change, job: plainCopy(change.job) };
    case "putExecution":
      return { ...change, execution: plainCopy(change.execution) };
    case "putTarget":
      return { ...change, result: plainCopy(change.result) };
    case "putRecord":
      return { ...change, value: plainCopy(change.value) };
    default:
      return change;
  }
}
