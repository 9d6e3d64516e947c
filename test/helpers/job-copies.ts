import type { Scheduler } from "../../src/scheduler/scheduler.js";

/**
 * Counts the scheduler's job copies from now on (getJob and listJobs each
 * copy what they return): for tests that pin a path reading jobs in place.
 */
export function countJobCopies(scheduler: Scheduler): { readonly count: number; reset(): void } {
  let copies = 0;
  const getJob = scheduler.getJob.bind(scheduler);
  const listJobs = scheduler.listJobs.bind(scheduler);
  scheduler.getJob = (id) => (copies++, getJob(id));
  scheduler.listJobs = (query) => (copies++, listJobs(query));
  return {
    get count() {
      return copies;
    },
    reset() {
      copies = 0;
    },
  };
}
