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

  /**
   * Nothing to make durable: the change (a copy of what it carries) is applied,
   * and that is all. Every write answers with one shared settled promise: a
   * burst of runs writes thousands of times, and none of them has anything to wait for.
   */
  protected write(change: StoreOp): Promise<void> {
    try {
      this.state.apply(copied(change));
    } catch (error) {
      return Promise.reject(error);
    }
    return WRITTEN;
  }
}

const WRITTEN: Promise<void> = Promise.resolve();

/** The change with a copy of what it carries, in place: each change object is made for one write. */
function copied(change: StoreOp): StoreOp {
  switch (change.op) {
    case "putJob":
      change.job = plainCopy(change.job);
      break;
    case "putExecution":
      change.execution = plainCopy(change.execution);
      break;
    case "putTarget":
      change.result = plainCopy(change.result);
      break;
    case "putRecord":
      change.value = plainCopy(change.value);
      break;
  }
  return change;
}
