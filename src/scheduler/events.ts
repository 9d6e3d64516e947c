import type { Execution, TargetResult, TaskError } from "../executions/types.js";
import type { Job } from "../jobs/types.js";

/** The payload of "taskFinished": one target's final result in one step of one run. */
export interface TaskFinishedEvent {
  jobId: string;
  executionId: string;
  /** Index of the step in the job. */
  stepIndex: number;
  stepName: string;
  /** The action the step ran. */
  action: string;
  result: TargetResult;
}

/** An attempt failed transiently and the task will be tried again after `delayMs`. */
export interface TaskRetryingEvent {
  jobId: string;
  executionId: string;
  stepIndex: number;
  stepName: string;
  action: string;
  target: string;
  /** The attempt that failed (1-based). */
  attempt: number;
  error: TaskError;
  delayMs: number;
}

/** Every event the scheduler emits, with its listener arguments. Payloads are copies. */
export interface SchedulerEvents {
  jobCreated: [job: Job];
  /** `previous` is the job as it was before this change (a listener tells a pause from other changes without keeping every job). */
  jobUpdated: [job: Job, previous: Job];
  jobDeleted: [job: Job];
  executionStarted: [execution: Execution];
  taskFinished: [event: TaskFinishedEvent];
  taskRetrying: [event: TaskRetryingEvent];
  executionFinished: [execution: Execution];
  executionSkipped: [execution: Execution];
  /**
   * At start(): a run the previous process left unfinished (it crashed or was
   * killed), now saved as Interrupted with the outcomes it had reached.
   * Emitted instead of executionFinished, which that run never got.
   */
  executionInterrupted: [execution: Execution];
}

/** The name of an event a Scheduler emits. */
export type SchedulerEventName = keyof SchedulerEvents;
type Listener<E extends SchedulerEventName> = (...args: SchedulerEvents[E]) => void;

/**
 * A small typed emitter. A listener that throws must not derail the execution
 * that emitted the event, so its error is rethrown on its own turn of the event
 * loop (an uncaught exception, as a throwing EventEmitter listener would be)
 * instead of inside the scheduler.
 */
export class SchedulerEmitter {
  private readonly listeners = new Map<SchedulerEventName, Set<unknown>>();

  on<E extends SchedulerEventName>(event: E, listener: Listener<E>): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off<E extends SchedulerEventName>(event: E, listener: Listener<E>): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  once<E extends SchedulerEventName>(event: E, listener: Listener<E>): this {
    const wrapper = ((...args: SchedulerEvents[E]) => {
      this.off(event, wrapper);
      listener(...args);
    }) as Listener<E>;
    return this.on(event, wrapper);
  }

  /** Lets the emitter skip building a payload nobody listens to. */
  has(event: SchedulerEventName): boolean {
    return (this.listeners.get(event)?.size ?? 0) > 0;
  }

  emit<E extends SchedulerEventName>(event: E, ...args: SchedulerEvents[E]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const listener of [...set]) {
      try {
        (listener as Listener<E>)(...args);
      } catch (error) {
        setImmediate(() => {
          throw error;
        });
      }
    }
  }
}
