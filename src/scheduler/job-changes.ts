/**
 * Every change to a job: create, patch (update, pause, resume), cancel and
 * delete. Changes to one job are applied one after another, each checked
 * against the job as the earlier ones left it; each is saved before it takes
 * effect in memory, so a store failure changes nothing.
 */
import { ShoalError } from "../errors.js";
import type { Execution } from "../executions/types.js";
import type { Job, JobPatch, JobSpec } from "../jobs/types.js";
import { plainCopy } from "../store/plain-copy.js";
import type { Store } from "../store/store.js";
import type { ActionDefinition } from "./actions.js";
import type { Clock } from "./clock.js";
import type { SchedulerEmitter } from "./events.js";
import { iso } from "./execution-record.js";
import type { IdGenerator } from "./ids.js";
import { newJob, validatedCopy } from "./job-record.js";
import { validateJobPatch, validateJobSpec, type SpecContext } from "./job-spec.js";
import type { JobTimer } from "./job-timer.js";
import { KeyedQueue } from "./keyed-queue.js";
import type { LiveRuns } from "./live-runs.js";
import type { JobWriteOptions } from "./scheduler-options.js";
import { storeError } from "./store-error.js";
import type { WriteBatch } from "./write-batch.js";

export interface JobChangesEnvironment {
  clock: Clock;
  store: Store;
  /** The scheduler's jobs, changed here. */
  jobs: Map<string, Job>;
  actions: ReadonlyMap<string, ActionDefinition>;
  timeZone: string;
  ids: IdGenerator;
  timer: JobTimer;
  runs: LiveRuns;
  batch: WriteBatch;
  emitter: SchedulerEmitter;
  /** Whether the scheduler is running (enabling a job then applies its misfire policy). */
  running(): boolean;
}

/** What a pause keeps beside the patch. */
interface PatchExtra {
  pausedReason?: string | null;
}

export class JobChanges {
  /** Changes to one job are applied one after another. */
  private readonly queue = new KeyedQueue();

  constructor(private readonly env: JobChangesEnvironment) {}

  /** The job this id names; throws a ShoalError "NotFound" for an unknown id. */
  jobOrThrow(id: string): Job {
    const job = this.env.jobs.get(id);
    if (!job) throw new ShoalError("NotFound", `No job "${id}"`);
    return job;
  }

  async create(spec: JobSpec): Promise<Job> {
    const { jobs, clock, store, timer, runs, emitter, ids } = this.env;
    const fields = validateJobSpec(spec, this.specContext());
    const id = fields.id ?? ids.next("Job");
    if (jobs.has(id)) {
      throw new ShoalError("AlreadyExists", `A job with id "${id}" already exists`, [{ path: "/id", message: "is taken", kind: "invalid", value: id }]);
    }
    const now = clock.now();
    const job = newJob(id, fields, iso(now));
    job.nextRunAt = timer.upcoming(job, now);
    jobs.set(id, job);
    try {
      await store.saveJob(job);
    } catch (error) {
      jobs.delete(id);
      throw storeError(error);
    }
    runs.runtimeOf(job);
    timer.arm(job);
    emitter.emit("jobCreated", plainCopy(job));
    return plainCopy(job);
  }

  patch(id: string, patch: JobPatch, extra: PatchExtra, options: JobWriteOptions): Promise<Job> {
    return this.queue.run(id, () => this.applyPatch(id, patch, extra, options));
  }

  cancel(id: string): Promise<Job> {
    return this.queue.run(id, () => this.cancelNow(id));
  }

  remove(id: string, options: JobWriteOptions): Promise<void> {
    return this.queue.run(id, () => this.removeNow(id, options));
  }

  private async applyPatch(id: string, patch: JobPatch, extra: PatchExtra, options: JobWriteOptions): Promise<Job> {
    const { jobs, clock, store, timer, runs, batch, emitter } = this.env;
    const job = this.jobOrThrow(id);
    checkPrecondition(job, options);
    const fields = validateJobPatch(patch, job, this.specContext());
    if (job.cancelled && patch.enabled === true) {
      throw new ShoalError("Conflict", `Job "${id}" is cancelled and cannot be enabled again`);
    }
    const now = clock.now();
    const updated: Job = { ...job, ...fields, updatedAt: iso(now) };
    if (fields.metadata === undefined) delete updated.metadata;
    const enabling = fields.enabled && !job.enabled;
    if (enabling) updated.pausedReason = null;
    if (!fields.enabled) updated.pausedReason = extra.pausedReason !== undefined ? extra.pausedReason : job.pausedReason;
    if (patch.schedule !== undefined) updated.nextRunAt = updated.cancelled ? null : timer.upcoming(updated, now);
    const copy = validatedCopy(updated);
    try {
      await store.saveJob(copy);
    } catch (error) {
      throw storeError(error);
    }
    jobs.set(id, copy);
    runs.applyConcurrency(copy);
    if (enabling && patch.schedule === undefined && this.env.running()) {
      if (timer.catchUp(copy, clock.now(), false)) batch.addJob(copy);
    }
    timer.arm(copy);
    emitter.emit("jobUpdated", plainCopy(copy), plainCopy(job));
    return plainCopy(copy);
  }

  private async cancelNow(id: string): Promise<Job> {
    const { jobs, clock, store, timer, runs, emitter } = this.env;
    const job = this.jobOrThrow(id);
    if (job.cancelled) return plainCopy(job);
    const updated: Job = { ...job, cancelled: true, nextRunAt: null, updatedAt: iso(clock.now()) };
    try {
      await store.saveJob(updated);
    } catch (error) {
      throw storeError(error);
    }
    jobs.set(id, updated);
    timer.remove(id);
    const runtime = runs.runtimeIfAny(id);
    if (runtime) runs.discardWaiting(runtime, "JobCancelled");
    emitter.emit("jobUpdated", plainCopy(updated), plainCopy(job));
    return plainCopy(updated);
  }

  private async removeNow(id: string, options: JobWriteOptions): Promise<void> {
    const { jobs, store, timer, runs, emitter } = this.env;
    const job = this.jobOrThrow(id);
    checkPrecondition(job, options);
    jobs.delete(id);
    timer.remove(id);
    const runtime = runs.removeRuntime(id);
    const ending: Promise<Execution>[] = [];
    if (runtime?.waiting) {
      ending.push(runtime.waiting.done);
      runs.discardWaiting(runtime, "JobDeleted");
    }
    for (const live of runtime?.running ?? []) {
      live.runner.cancel("JobDeleted");
      ending.push(live.done);
    }
    await Promise.all(ending);
    try {
      await store.deleteJob(id);
    } catch (error) {
      throw storeError(error);
    }
    emitter.emit("jobDeleted", plainCopy(job));
  }

  private specContext(): SpecContext {
    return { actions: this.env.actions, now: this.env.clock.now(), timeZone: this.env.timeZone };
  }
}

function checkPrecondition(job: Job, options: JobWriteOptions): void {
  if (options.precondition && !options.precondition(plainCopy(job))) {
    throw new ShoalError("PreconditionFailed", `Job "${job.id}" has changed since the version the change was based on`);
  }
}
