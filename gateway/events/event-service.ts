/**
 * The event service as one value the gateway composes: the hub, the bridge
 * from the scheduler's events, the SSE streams, the subscriptions and their
 * delivery outbox. `close()` ends the streams (an open stream would keep the
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
import { SchedulerEventSource } from "./scheduler-events.js";
import { SseStreams } from "./sse-streams.js";
import { SubscriptionRegistry } from "./subscriptions.js";

export interface EventServiceDeps {
  scheduler: Scheduler;
  /** Where subscriptions and the outbox are kept. */
  store: RecordStore;
  config: EventsConfig;
  log: Logger;
}

export interface EventService {
  readonly hub: EventHub;
  readonly streams: SseStreams;
  readonly subscriptions: SubscriptionRegistry;
  readonly outbox: Outbox;
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
  return {
    hub,
    streams,
    subscriptions,
    outbox,
    config,
    async close() {
      streams.close();
      outbox.close();
      delivery.close();
    },
  };
}
