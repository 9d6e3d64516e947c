/**
 * Event subscriptions (Redfish EventDestination), kept as records in the
 * core's store. Reads come from memory; each change is written through
 * before the promise resolves. The HTTP headers and the signing secret are
 * kept because delivery needs them; nothing here returns them to a client.
 */
import { randomUUID } from "node:crypto";
import type { RecordStore } from "../platform/registry.js";
import { selectionMatcher, type EventPredicate, type EventSelection } from "./event-filter.js";

export const SUBSCRIPTION_RECORD_KIND = "eventSubscription";

/** Redfish DeliveryRetryPolicy: what happens once an event has failed DeliveryRetryAttempts times. */
export type RetryPolicy = "SuspendRetries" | "TerminateAfterRetries" | "RetryForever" | "RetryForeverWithBackoff";
export const RETRY_POLICIES: readonly RetryPolicy[] = ["SuspendRetries", "TerminateAfterRetries", "RetryForever", "RetryForeverWithBackoff"];

/** How a delivery is written: a Redfish Event, a Slack incoming-webhook message, an e-mail. */
export type DeliveryFormat = "Redfish" | "Slack" | "Email";

/**
 * Enabled: delivering. Disabled: suspended by an operator. StandbyOffline:
 * suspended because the destination kept failing. Events keep queueing while
 * suspended and go out, in order, once resumed.
 */
export type SubscriptionState = "Enabled" | "Disabled" | "StandbyOffline";

export interface Subscription extends EventSelection {
  id: string;
  name: string;
  /** http(s) URL, or `mailto:` addresses for e-mail. */
  destination: string;
  context: string | null;
  format: DeliveryFormat;
  registryPrefixes: string[];
  messageIds: string[];
  originResources: string[];
  resourceTypes: string[];
  subordinateResources: boolean;
  /** Write-only: sent with every delivery. */
  httpHeaders: Record<string, string>;
  /** Write-only: key of the HMAC-SHA256 signature each delivery carries. */
  signingSecret: string | null;
  retryPolicy: RetryPolicy;
  state: SubscriptionState;
  /** Why the last delivery attempt failed; null after a success. */
  lastError: string | null;
  createdAt: string;
}

export type SubscriptionInput = Omit<Subscription, "id" | "state" | "lastError" | "createdAt">;

export class SubscriptionRegistry {
  private readonly subs = new Map<string, Subscription>();
  private readonly matchers = new Map<string, EventPredicate>();

  constructor(private readonly store: RecordStore) {
    for (const sub of store.listRecords<Subscription>(SUBSCRIPTION_RECORD_KIND)) this.put(sub);
  }

  list(): Subscription[] {
    return [...this.subs.values()].sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id < b.id ? -1 : 1));
  }

  get(id: string): Subscription | undefined {
    return this.subs.get(id);
  }

  /** Whether some subscription names the run-log lines (MachineLog) in its MessageIds. */
  get wantsLog(): boolean {
    for (const sub of this.subs.values()) if (sub.messageIds.some((m) => m.endsWith("MachineLog"))) return true;
    return false;
  }

  /** Whether the subscription's filters take the event. */
  matcher(id: string): EventPredicate | undefined {
    return this.matchers.get(id);
  }

  async create(input: SubscriptionInput): Promise<Subscription> {
    const sub: Subscription = { ...input, id: randomUUID(), state: "Enabled", lastError: null, createdAt: new Date().toISOString() };
    await this.store.saveRecord(SUBSCRIPTION_RECORD_KIND, sub.id, sub);
    this.put(sub);
    return sub;
  }

  async update(id: string, changes: Partial<Pick<Subscription, "state" | "lastError">>): Promise<Subscription | undefined> {
    const current = this.subs.get(id);
    if (!current) return undefined;
    const next = { ...current, ...changes };
    this.put(next);
    await this.store.saveRecord(SUBSCRIPTION_RECORD_KIND, id, next);
    return next;
  }

  async remove(id: string): Promise<boolean> {
    if (!this.subs.delete(id)) return false;
    this.matchers.delete(id);
    await this.store.deleteRecord(SUBSCRIPTION_RECORD_KIND, id);
    return true;
  }

  private put(sub: Subscription): void {
    this.subs.set(sub.id, sub);
    this.matchers.set(sub.id, selectionMatcher(sub));
  }
}
