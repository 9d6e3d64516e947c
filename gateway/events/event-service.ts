/**
 * The event service as one value the gateway composes: the hub, the bridge
 * from the scheduler's events, the SSE streams. `close()` ends the streams
 * (an open stream would keep the HTTP server from closing) and detaches
 * from the scheduler.
 */
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import type { EventsConfig } from "../config.js";
import type { Logger } from "../log.js";
import { EventHub } from "./event-hub.js";
import { SchedulerEventSource } from "./scheduler-events.js";
import { SseStreams } from "./sse-streams.js";

export interface EventServiceDeps {
  scheduler: Scheduler;
  config: EventsConfig;
  log: Logger;
}

export interface EventService {
  readonly hub: EventHub;
  readonly streams: SseStreams;
  readonly config: EventsConfig;
  close(): Promise<void>;
}

export function createEventService(deps: EventServiceDeps): EventService {
  const { config, log } = deps;
  const hub = new EventHub({
    replaySize: config.replaySize,
    onListenerError: (error) => log.error("an event listener failed", { error: String(error) }),
  });
  const source = new SchedulerEventSource(deps.scheduler, hub, { progressIntervalMs: config.progressIntervalMs });
  const streams = new SseStreams(hub);
  return {
    hub,
    streams,
    config,
    async close() {
      source.close();
      streams.close();
    },
  };
}
