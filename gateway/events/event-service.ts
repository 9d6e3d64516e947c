/**
 * The event service as one value the gateway composes: the hub, the bridge
 * from the scheduler's events, the SSE streams, the subscriptions and their
 * delivery outbox, the per-run logs. `close()` ends the streams (an open stream would keep the
 * HTTP server from closing) and stops delivering (what is queued stays in
 * the store).
 */
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { EventsConfig } from "../config.js";
import type { Logger } from "../log.js";
import type { RecordStore } from "../platform/registry.js";
import { Delivery } from "./delivery.js";
import { EventHub } from "./event-hub.js";
import { Outbox } from "./outbox.js";
import { RunLog } from "./run-log.js";
import { SchedulerEventSource } from "./scheduler-events.js";
import { SseStreams } from "./sse-streams.js";
import { SubscriptionRegistry } from "./subscriptions.js";

export interface EventServiceDeps {
  scheduler: Scheduler;
  /** Where subscriptions and the outbox are kept. */
  store: RecordStore;
  config: EventsConfig;
  log: Logger;
  /** Where each run's log is also written as JSON lines; memory only when absent. */
  runLogDir?: string;
}

export interface EventService {
  readonly hub: EventHub;
  readonly streams: SseStreams;
  readonly subscriptions: SubscriptionRegistry;
  readonly outbox: Outbox;
  readonly runLog: RunLog;
  readonly config: EventsConfig;
  close(): Promise<void>;
}

export function createEventService(deps: EventServiceDeps): EventService {
  const { config, log, store } = deps;
  const hub = new EventHub({
    replaySize: config.replaySize,
    onListenerError: (error) => log.error("an event listener failed", { error: String(error) }),
  });
  const subscriptions = new SubscriptionRegistry(store);
  const delivery = new Delivery({ smtp: config.smtp });
  const outbox = new Outbox({
    store,
    subscriptions,
    deliver: delivery.deliver,
    retryAttempts: config.deliveryRetryAttempts,
    retryIntervalMs: config.deliveryRetryIntervalSeconds * 1000,
    log,
  });
  hub.subscribe((event) => outbox.enqueue(event));
  // Stays attached after close(): the runs a shutdown cancels still have their events stored for the next start.
  new SchedulerEventSource(deps.scheduler, hub, { progressIntervalMs: config.progressIntervalMs });
  const streams = new SseStreams(hub);
  const runLog = new RunLog({
    scheduler: deps.scheduler,
    hub,
    log,
    liveWanted: () => streams.logReaders > 0 || subscriptions.wantsLog,
    ...(deps.runLogDir !== undefined ? { dir: deps.runLogDir } : {}),
  });
  return {
    hub,
    streams,
    subscriptions,
    outbox,
    runLog,
    config,
    async close() {
      streams.close();
      outbox.close();
      delivery.close();
      await runLog.flush();
    },
  };
}
