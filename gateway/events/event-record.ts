/**
 * One event as the gateway keeps it (replay buffer, outbox) and as it goes
 * on the wire: a Redfish `Event` resource holding that one event.
 */
import type { MessageSeverity } from "../redfish/messages.js";
import { EVENT_MESSAGES, eventMessageId, REGISTRIES, type EventKey, type EventType } from "./event-messages.js";

/** A machine that failed in a run, as alerts name it. */
export interface FailedMachine {
  machineId: string;
  action: string;
  errorType: string;
  message: string;
}

/** What alert formats (Slack, e-mail) say beyond the message; also under `Oem.Shoal` on the wire. */
export interface EventDetail {
  jobId?: string;
  jobName?: string;
  executionId?: string;
  state?: string;
  health?: string | null;
  percentComplete?: number;
  /** The first failed machines of a finished run (at most FAILED_LISTED). */
  failedMachines?: FailedMachine[];
  failedCount?: number;
  /** A run-log entry (MachineLog events). */
  log?: Record<string, unknown>;
}

export interface ShoalEvent {
  /** Decimal string; grows across the process's life and across restarts. */
  id: string;
  timestamp: string;
  key: EventKey;
  messageId: string;
  registryPrefix: string;
  args: string[];
  message: string;
  severity: MessageSeverity;
  eventType: EventType;
  /** `@odata.id` of the resource the event is about. */
  origin: string;
  resourceType: "Job" | "JobExecution" | "EventService";
  detail: EventDetail;
}

export type EventDraft = Pick<ShoalEvent, "key" | "args" | "origin" | "resourceType"> & {
  detail?: EventDetail;
  /** Replaces the registry's text (a test event's own words). */
  message?: string;
};

export const FAILED_LISTED = 50;

export function completeEvent(draft: EventDraft, id: string, timestamp: string): ShoalEvent {
  const def = EVENT_MESSAGES[draft.key];
  const args = def.args.map((_, i) => draft.args[i] ?? "");
  return {
    id,
    timestamp,
    key: draft.key,
    messageId: eventMessageId(draft.key),
    registryPrefix: def.registry,
    args,
    message: draft.message ?? def.text(args),
    severity: def.severity,
    eventType: def.eventType,
    origin: draft.origin,
    resourceType: draft.resourceType,
    detail: draft.detail ?? {},
  };
}

function oem(detail: EventDetail): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  if (detail.jobId !== undefined) out.JobId = detail.jobId;
  if (detail.jobName !== undefined) out.JobName = detail.jobName;
  if (detail.executionId !== undefined) out.ExecutionId = detail.executionId;
  if (detail.state !== undefined) out.State = detail.state;
  if (detail.health !== undefined) out.Health = detail.health;
  if (detail.percentComplete !== undefined) out.PercentComplete = detail.percentComplete;
  if (detail.failedMachines !== undefined) {
    out.FailedMachines = detail.failedMachines.map((m) => ({ MachineId: m.machineId, Action: m.action, ErrorType: m.errorType, Message: m.message }));
    out.FailedCount = detail.failedCount ?? detail.failedMachines.length;
  }
  if (detail.log !== undefined) out.Log = detail.log;
  return Object.keys(out).length > 0 ? { Shoal: out } : undefined;
}

/** The Redfish `Event` resource carrying one event; `context` is the subscription's Context (SSE has none). */
export function redfishEvent(event: ShoalEvent, context: string | null = null): Record<string, unknown> {
  const record: Record<string, unknown> = {
    EventId: event.id,
    EventType: event.eventType,
    EventTimestamp: event.timestamp,
    MessageId: event.messageId,
    Message: event.message,
    MessageArgs: event.args,
    MessageSeverity: event.severity,
    Severity: event.severity,
    OriginOfCondition: { "@odata.id": event.origin },
  };
  if (context !== null) record.Context = context;
  const extra = oem(event.detail);
  if (extra) record.Oem = extra;
  const body: Record<string, unknown> = {
    "@odata.type": "#Event.v1_7_0.Event",
    Id: event.id,
    Name: "Shoal Event",
  };
  if (context !== null) body.Context = context;
  body.Events = [record];
  return body;
}

/** Every registry prefix the service sends, as the EventService lists them. */
export const REGISTRY_PREFIXES = Object.keys(REGISTRIES);
