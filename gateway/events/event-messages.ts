/**
 * The messages events carry. Where a DMTF registry has a message with the
 * right meaning we send its id (ResourceEvent for a job's life, TaskEvent for
 * a run's), so a Redfish event consumer that switches on MessageId already
 * understands them; the rest are the project's own `Shoal` registry. The
 * texts are ours; arguments follow each DMTF message's definition.
 */
import type { MessageSeverity } from "../redfish/messages.js";

export const REGISTRIES = {
  ResourceEvent: "ResourceEvent.1.3.0",
  TaskEvent: "TaskEvent.1.0.4",
  Shoal: "Shoal.1.0.0",
} as const;

export type RegistryName = keyof typeof REGISTRIES;

/** Redfish EventType (deprecated by DMTF in favour of MessageId, still what many consumers filter on). */
export type EventType = "StatusChange" | "ResourceAdded" | "ResourceRemoved" | "ResourceUpdated" | "Alert" | "Other";

export interface EventMessage {
  registry: RegistryName;
  severity: MessageSeverity;
  eventType: EventType;
  args: readonly string[];
  text: (args: readonly string[]) => string;
}

export const EVENT_MESSAGES = {
  ResourceCreated: { registry: "ResourceEvent", severity: "OK", eventType: "ResourceAdded", args: [], text: () => "The resource was created." },
  ResourceChanged: { registry: "ResourceEvent", severity: "OK", eventType: "ResourceUpdated", args: [], text: () => "The resource was changed." },
  ResourceRemoved: { registry: "ResourceEvent", severity: "OK", eventType: "ResourceRemoved", args: [], text: () => "The resource was removed." },
  TaskStarted: { registry: "TaskEvent", severity: "OK", eventType: "StatusChange", args: ["executionId"], text: ([id]) => `The run '${id}' started.` },
  TaskProgressChanged: {
    registry: "TaskEvent",
    severity: "OK",
    eventType: "StatusChange",
    args: ["executionId", "percent"],
    text: ([id, p]) => `The run '${id}' is ${p} percent complete.`,
  },
  TaskCompletedOK: { registry: "TaskEvent", severity: "OK", eventType: "StatusChange", args: ["executionId"], text: ([id]) => `The run '${id}' completed: every machine succeeded.` },
  TaskCompletedWarning: {
    registry: "TaskEvent",
    severity: "Warning",
    eventType: "StatusChange",
    args: ["executionId"],
    text: ([id]) => `The run '${id}' completed, and some machines failed.`,
  },
  TaskAborted: { registry: "TaskEvent", severity: "Critical", eventType: "Alert", args: ["executionId"], text: ([id]) => `The run '${id}' failed.` },
  TaskCancelled: { registry: "TaskEvent", severity: "Warning", eventType: "StatusChange", args: ["executionId"], text: ([id]) => `The run '${id}' was cancelled.` },
  JobPaused: { registry: "Shoal", severity: "Warning", eventType: "ResourceUpdated", args: ["jobId", "reason"], text: ([id, r]) => `The job '${id}' was paused${r ? `: ${r}` : ""}.` },
  JobResumed: { registry: "Shoal", severity: "OK", eventType: "ResourceUpdated", args: ["jobId"], text: ([id]) => `The job '${id}' was resumed.` },
  MachineFailed: {
    registry: "Shoal",
    severity: "Warning",
    eventType: "Alert",
    args: ["machineId", "executionId", "errorType", "message"],
    text: ([m, e, t, msg]) => `Machine '${m}' failed in run '${e}' (${t}): ${msg}`,
  },
  ExecutionHalted: { registry: "Shoal", severity: "Critical", eventType: "Alert", args: ["executionId", "reason"], text: ([id, r]) => `The run '${id}' halted: ${r}.` },
  ExecutionInterrupted: {
    registry: "Shoal",
    severity: "Critical",
    eventType: "Alert",
    args: ["executionId", "reason"],
    text: ([id, r]) => `The run '${id}' was interrupted: ${r}.`,
  },
  ExecutionSkipped: { registry: "Shoal", severity: "Warning", eventType: "StatusChange", args: ["executionId", "reason"], text: ([id, r]) => `The run '${id}' was skipped: ${r}.` },
  MachineLog: {
    registry: "Shoal",
    severity: "OK",
    eventType: "Other",
    args: ["machineId", "executionId", "entry"],
    text: ([m, e, entry]) => `Run '${e}', machine '${m}': ${entry}`,
  },
  TestEvent: { registry: "Shoal", severity: "OK", eventType: "Other", args: [], text: () => "A test event, sent on request." },
} as const satisfies Record<string, EventMessage>;

export type EventKey = keyof typeof EVENT_MESSAGES;

export function eventMessageId(key: EventKey): string {
  return `${REGISTRIES[EVENT_MESSAGES[key].registry]}.${key}`;
}

/** The registry name and message key of an id, versions dropped: "TaskEvent.1.0.4.TaskStarted" -> "TaskEvent.TaskStarted". */
export function unversioned(messageId: string): string {
  const parts = messageId.split(".");
  if (parts.length < 2) return messageId;
  return `${parts[0]}.${parts[parts.length - 1]}`;
}

/** Whether a MessageIds entry names this message: the full id, or registry and key without a version. */
export function messageIdMatches(wanted: string, messageId: string): boolean {
  return wanted === messageId || unversioned(wanted) === unversioned(messageId);
}
