/**
 * Where events meet their readers: numbers each event, keeps the last few in
 * a bounded replay buffer (for `Last-Event-ID`), and hands each one to every
 * listener (SSE streams, the delivery outbox, metrics) synchronously. A
 * listener must not do slow work inline: the scheduler is the one emitting.
 */
import { completeEvent, type EventDraft, type ShoalEvent } from "./event-record.js";

export type EventListener = (event: ShoalEvent) => void;

export interface EventHubOptions {
  /** Events kept for replay; default 1000. */
  replaySize?: number;
  /** Wall clock in ms; ids start from it so a restarted process numbers after the last one. */
  now?: () => number;
  /** Where a throwing listener is reported. */
  onListenerError?: (error: unknown) => void;
}

export class EventHub {
  private readonly buffer: ShoalEvent[] = [];
  private readonly replaySize: number;
  private readonly listeners = new Set<EventListener>();
  private readonly now: () => number;
  private readonly onListenerError: (error: unknown) => void;
  /**
   * Ids are `start-of-process ms x 1000 + n`: increasing within a process and,
   * unless it sent more than a thousand events per millisecond of its life,
   * across restarts, which lets a client resume with Last-Event-ID after one.
   */
  private next: number;

  constructor(options: EventHubOptions = {}) {
    this.replaySize = options.replaySize ?? 1000;
    this.now = options.now ?? Date.now;
    this.next = this.now() * 1000;
    this.onListenerError = options.onListenerError ?? (() => undefined);
  }

  /** `replay: false` keeps a high-volume event (a run-log line) out of the replay buffer. */
  publish(draft: EventDraft, options: { replay?: boolean } = {}): ShoalEvent {
    const event = completeEvent(draft, String(++this.next), new Date(this.now()).toISOString());
    if (options.replay !== false) {
      this.buffer.push(event);
      if (this.buffer.length > this.replaySize) this.buffer.splice(0, this.buffer.length - this.replaySize);
    }
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        this.onListenerError(error);
      }
    }
    return event;
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Buffered events after the one with this id, oldest first. An id the buffer
   * no longer reaches (or one that is not ours) gets everything it still holds.
   */
  since(lastId: string): ShoalEvent[] {
    if (!/^\d+$/.test(lastId)) return [...this.buffer];
    const last = Number(lastId);
    return this.buffer.filter((e) => Number(e.id) > last);
  }

  get size(): number {
    return this.buffer.length;
  }
}
