/**
 * The connections to one BMC: up to `connections` undici Clients (one socket
 * each, one request at a time), opened only when every open one is busy. An
 * undici Pool does the same job but allocates a 2 048-slot queue up front:
 * 18 KB per machine before the first request, 180 MB for 10 000 machines. A
 * Client costs under 2 KB and most machines never need more than one.
 */
import { Client, type Dispatcher } from "undici";
import { requestText, type TextResponse } from "./text-request.js";

export type MachineResponse = TextResponse;

interface Slot {
  client: Client;
  /** Requests sent to this client whose body has not been read yet. */
  busy: number;
}

export class MachinePool {
  private readonly slots: Slot[] = [];
  private connectedCount = 0;
  private closed = false;

  constructor(
    private readonly origin: string,
    private readonly max: number,
    private readonly options: Client.Options,
  ) {}

  /** Sends one request and reads its whole body; `signal` aborts it. */
  async request(options: Omit<Dispatcher.DispatchOptions, "origin">, signal?: AbortSignal): Promise<MachineResponse> {
    const slot = this.pick();
    slot.busy++;
    try {
      return await requestText(slot.client, options, signal);
    } finally {
      slot.busy--;
    }
  }

  /** An idle client, else a new one while under the cap, else the least busy (its requests wait their turn). */
  private pick(): Slot {
    let least: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.busy === 0) return slot;
      if (!least || slot.busy < least.busy) least = slot;
    }
    if (this.slots.length < this.max || !least) {
      const client = new Client(this.origin, { ...this.options, pipelining: 1 });
      client.on("connect", () => this.connectedCount++);
      client.on("disconnect", () => this.connectedCount--);
      const slot: Slot = { client, busy: 0 };
      this.slots.push(slot);
      return slot;
    }
    return least;
  }

  /** Open sockets. */
  get connected(): number {
    return this.connectedCount;
  }

  /** Lets requests in flight finish, then closes every socket. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.client.close().catch(() => undefined)));
  }

  /** Closes every socket now; requests in flight fail. */
  async destroy(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.client.destroy().catch(() => undefined)));
  }
}
