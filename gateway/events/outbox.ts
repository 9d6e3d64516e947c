/**
 * The delivery outbox: every event a subscription takes is written to the
 * store before it is sent, and removed once its destination took it, so an
 * event queued before a crash goes out after the restart. Per subscription,
 * one event is in flight at a time, oldest first (order is kept); a failed
 * attempt is retried after a wait that doubles, and once an event has failed
 * DeliveryRetryAttempts times the subscription's DeliveryRetryPolicy decides:
 * suspend it (visible as Status.State StandbyOffline, resumable), delete it,
 * or keep trying. Delivery is at least once: a receiver de-duplicates by the
 * event id. Nothing here is awaited by the scheduler: enqueue is synchronous
 * and every send happens on its own promise chain.
 */
import type { Logger } from "../log.js";
import type { RecordStore } from "../platform/registry.js";
import type { Deliver } from "./delivery.js";
import type { ShoalEvent } from "./event-record.js";
import type { SubscriptionRegistry } from "./subscriptions.js";

export const OUTBOX_RECORD_KIND = "eventOutbox";

interface OutboxRecord {
  subscriptionId: string;
  event: ShoalEvent;
}

interface Pending {
  event: ShoalEvent;
  key: string;
  /** Set once the store holds it. */
  durable: boolean;
  saved: Promise<void>;
}

interface Queue {
  items: Pending[];
  busy: boolean;
  /** Failed attempts of the event at the head. */
  failures: number;
  timer: NodeJS.Timeout | null;
}

export interface DeliveryOutcome {
  subscriptionId: string;
  format: string;
  ok: boolean;
  error?: string;
}

export interface OutboxOptions {
  store: RecordStore;
  subscriptions: SubscriptionRegistry;
  deliver: Deliver;
  retryAttempts: number;
  retryIntervalMs: number;
  log: Logger;
  /** Events kept per subscription while its destination is down; the oldest go first. Default 10 000. */
  maxPending?: number;
}

const MAX_BACKOFF_MS = 5 * 60_000;

export class Outbox {
  private readonly queues = new Map<string, Queue>();
  private readonly observers = new Set<(outcome: DeliveryOutcome) => void>();
  private readonly maxPending: number;
  private closed = false;

  constructor(private readonly o: OutboxOptions) {
    this.maxPending = o.maxPending ?? 10_000;
    const stored = o.store.listRecords<OutboxRecord>(OUTBOX_RECORD_KIND);
    stored.sort((a, b) => Number(a.event.id) - Number(b.event.id));
    for (const record of stored) {
      const key = recordKey(record.subscriptionId, record.event.id);
      if (!o.subscriptions.get(record.subscriptionId)) {
        void o.store.deleteRecord(OUTBOX_RECORD_KIND, key).catch(() => undefined);
        continue;
      }
      this.queueOf(record.subscriptionId).items.push({ event: record.event, key, durable: true, saved: Promise.resolve() });
    }
    for (const id of this.queues.keys()) this.pump(id);
  }

  /** Queues the event for every subscription whose filters take it. */
  enqueue(event: ShoalEvent): void {
    for (const sub of this.o.subscriptions.list()) {
      if (!this.o.subscriptions.matcher(sub.id)?.(event)) continue;
      // A run's log lines are many: only a subscription that names them gets them.
      if (event.key === "MachineLog" && !sub.messageIds.some((m) => m.endsWith("MachineLog"))) continue;
      this.add(sub.id, event);
    }
  }

  /** Queues one event for one subscription (a test event). */
  add(subscriptionId: string, event: ShoalEvent): void {
    const q = this.queueOf(subscriptionId);
    const key = recordKey(subscriptionId, event.id);
    const pending: Pending = { event, key, durable: false, saved: Promise.resolve() };
    pending.saved = this.o.store
      .saveRecord<OutboxRecord>(OUTBOX_RECORD_KIND, key, { subscriptionId, event })
      .then(() => void (pending.durable = true))
      .catch((error: unknown) => this.o.log.error("could not store an event for delivery", { subscriptionId, eventId: event.id, error: String(error) }));
    q.items.push(pending);
    if (q.items.length > this.maxPending) {
      // Keep the head: it may be in flight.
      const [dropped] = q.items.splice(1, 1);
      if (dropped) {
        this.o.log.warn("a subscription's backlog is full; dropping its oldest queued event", { subscriptionId, eventId: dropped.event.id });
        void this.o.store.deleteRecord(OUTBOX_RECORD_KIND, dropped.key).catch(() => undefined);
      }
    }
    this.pump(subscriptionId);
  }

  /** Events stored and waiting for the subscription. */
  pending(subscriptionId: string): number {
    return this.queues.get(subscriptionId)?.items.filter((p) => p.durable).length ?? 0;
  }

  observe(observer: (outcome: DeliveryOutcome) => void): void {
    this.observers.add(observer);
  }

  /** The subscription may deliver again (resumed): its backlog goes out from the oldest. */
  resume(subscriptionId: string): void {
    const q = this.queues.get(subscriptionId);
    if (q) {
      q.failures = 0;
      if (q.timer) clearTimeout(q.timer);
      q.timer = null;
    }
    this.pump(subscriptionId);
  }

  /** Drops the subscription's backlog (it was deleted). */
  async forget(subscriptionId: string): Promise<void> {
    const q = this.queues.get(subscriptionId);
    if (!q) return;
    this.queues.delete(subscriptionId);
    if (q.timer) clearTimeout(q.timer);
    await Promise.all(q.items.map((p) => p.saved.then(() => this.o.store.deleteRecord(OUTBOX_RECORD_KIND, p.key)).catch(() => undefined)));
  }

  /** Stops sending; what is queued, and queued from now on (runs cancelled at shutdown), stays in the store for the next start. */
  close(): void {
    this.closed = true;
    for (const q of this.queues.values()) if (q.timer) clearTimeout(q.timer);
  }

  private queueOf(id: string): Queue {
    let q = this.queues.get(id);
    if (!q) this.queues.set(id, (q = { items: [], busy: false, failures: 0, timer: null }));
    return q;
  }

  private pump(subscriptionId: string): void {
    const q = this.queues.get(subscriptionId);
    const sub = this.o.subscriptions.get(subscriptionId);
    if (!q || !sub || q.busy || q.timer || this.closed || sub.state !== "Enabled") return;
    const head = q.items[0];
    if (!head) return;
    q.busy = true;
    void head.saved
      .then(() => this.o.deliver(sub, head.event))
      .then(
        () => this.succeeded(subscriptionId, q, head),
        (error: unknown) => this.failed(subscriptionId, q, error),
      )
      .catch((error: unknown) => this.o.log.error("event delivery bookkeeping failed", { subscriptionId, error: String(error) }))
      .finally(() => {
        q.busy = false;
        this.pump(subscriptionId);
      });
  }

  private async succeeded(subscriptionId: string, q: Queue, head: Pending): Promise<void> {
    if (q.items[0] === head) q.items.shift();
    q.failures = 0;
    this.notify({ subscriptionId, format: this.o.subscriptions.get(subscriptionId)?.format ?? "Redfish", ok: true });
    await this.o.store.deleteRecord(OUTBOX_RECORD_KIND, head.key);
    if (this.o.subscriptions.get(subscriptionId)?.lastError != null) await this.o.subscriptions.update(subscriptionId, { lastError: null });
  }

  private async failed(subscriptionId: string, q: Queue, error: unknown): Promise<void> {
    const sub = this.o.subscriptions.get(subscriptionId);
    if (!sub) return;
    const reason = error instanceof Error ? error.message : String(error);
    q.failures++;
    this.notify({ subscriptionId, format: sub.format, ok: false, error: reason });
    await this.o.subscriptions.update(subscriptionId, { lastError: reason });
    const exhausted = q.failures >= this.o.retryAttempts;
    if (exhausted && sub.retryPolicy === "SuspendRetries") {
      this.o.log.warn("suspending an event subscription whose destination keeps failing", { subscriptionId, failures: q.failures, error: reason });
      await this.o.subscriptions.update(subscriptionId, { state: "StandbyOffline" });
      return;
    }
    if (exhausted && sub.retryPolicy === "TerminateAfterRetries") {
      this.o.log.warn("deleting an event subscription whose destination keeps failing", { subscriptionId, failures: q.failures, error: reason });
      await this.o.subscriptions.remove(subscriptionId);
      await this.forget(subscriptionId);
      return;
    }
    const base = this.o.retryIntervalMs;
    const wait = sub.retryPolicy === "RetryForever" ? base : Math.min(base * 2 ** Math.min(q.failures - 1, 30), MAX_BACKOFF_MS);
    q.timer = setTimeout(() => {
      q.timer = null;
      this.pump(subscriptionId);
    }, wait);
    q.timer.unref();
  }

  private notify(outcome: DeliveryOutcome): void {
    for (const observer of this.observers) observer(outcome);
  }
}

function recordKey(subscriptionId: string, eventId: string): string {
  return `${subscriptionId}:${eventId}`;
}
