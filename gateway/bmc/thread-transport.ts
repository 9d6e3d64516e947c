/**
 * A RedfishClient's work done on the process's BMC I/O thread (io-thread.ts)
 * instead of this one: single requests (the live views, sessions) and whole
 * actions (a task's GET, checks, PATCH and read-back in one round trip between
 * threads instead of one per request). The main thread keeps the scheduler and
 * the API; sockets, HTTP parsing, JSON and their garbage move to the other
 * thread, so a GET of the API does not queue behind thousands of BMC answers.
 *
 * What it costs: each request or action and its answer cross threads as
 * structured-clone messages (batched, one per turn of each event loop), the
 * thread holds its own copy of undici and of the actions, and a machine using
 * Session auth has one session for the live views and one for actions.
 *
 * The semantics are BmcTransport's and the actions': the same errors (rebuilt
 * here with their type, detail and requests), the same timeouts (applied on the
 * thread), and a task's signal cancels what it started: single requests are
 * rejected here at once, actions end on the thread as they would here.
 */
import { BmcError } from "./errors.js";
import { ioThread, type ActionKind, type IoThread } from "./io-thread.js";
import type { ActionOutput, BmcActionName } from "./actions/types.js";
import type { ManagerSnapshot } from "./actions/property-paths.js";
import type { PlanResult } from "../../src/scheduler/actions.js";
import type { Machine } from "../platform/machine.js";
import type { BmcWire, MachineEndpoint, TransportOptions, TransportRequest, TransportResponse } from "./transport.js";

let nextClient = 1;

/** The requests made under one signal, so one listener on it cancels them all. */
interface SignalEntry {
  key: number;
  /** Pending request id -> the machine and what the request was, for the Cancelled error. */
  calls: Map<number, [machineId: string, what: string]>;
}

/** What an action is handed on the thread, besides the client there. */
export interface ThreadActionContext {
  machine: Machine;
  payload: unknown;
  signal: AbortSignal;
  before?: ManagerSnapshot;
  after?: ManagerSnapshot;
}

export class ThreadTransport implements BmcWire {
  private readonly client = nextClient++;
  private readonly io: IoThread = ioThread();
  private readonly signals = new WeakMap<AbortSignal, SignalEntry>();
  private nextSignal = 1;
  private closed = false;

  constructor(private readonly options: TransportOptions = {}) {
    this.io.warm();
  }

  async send(machine: MachineEndpoint, request: TransportRequest): Promise<TransportResponse> {
    const what = `${request.method} ${request.path}`;
    if (this.closed) throw new BmcError({ type: "ClientClosed", transient: false, machineId: machine.id, message: "The BMC client is shut down" });
    const { signal } = request;
    if (signal?.aborted) throw new BmcError({ type: "Cancelled", transient: false, machineId: machine.id, message: `${what} cancelled before it was sent` });
    const entry = signal && this.entryFor(signal);
    const { id, done } = this.io.call({
      op: "send",
      client: this.client,
      options: this.options,
      // Only what the wire reads: the machine's credentials stay on this thread.
      machine: { id: machine.id, endpoint: machine.endpoint, insecure: machine.insecure, httpClientTimeoutSeconds: machine.httpClientTimeoutSeconds },
      method: request.method,
      path: request.path,
      headers: request.headers,
      body: request.body,
      signal: entry?.key,
    });
    entry?.calls.set(id, [machine.id, what]);
    try {
      return (await done) as TransportResponse;
    } finally {
      entry?.calls.delete(id);
    }
  }

  /** Runs a BMC action's `run`, `plan` or `revert` on the thread, with the thread's client. */
  runAction(kind: "plan", action: BmcActionName, ctx: ThreadActionContext): Promise<PlanResult>;
  runAction(kind: "run" | "revert", action: BmcActionName, ctx: ThreadActionContext): Promise<ActionOutput>;
  async runAction(kind: ActionKind, action: BmcActionName, ctx: ThreadActionContext): Promise<PlanResult | ActionOutput> {
    if (this.closed) throw new BmcError({ type: "ClientClosed", transient: false, machineId: ctx.machine.id, message: "The BMC client is shut down" });
    const { done } = this.io.call({
      op: "action",
      client: this.client,
      options: this.options,
      kind,
      action,
      machine: ctx.machine,
      payload: ctx.payload,
      ...(ctx.before !== undefined && { before: ctx.before }),
      ...(ctx.after !== undefined && { after: ctx.after }),
      signal: this.entryFor(ctx.signal).key,
      // An action already cancelled still goes: it fails on the thread exactly as it would here.
      aborted: ctx.signal.aborted,
    });
    return (await done) as PlanResult | ActionOutput;
  }

  /** One listener per signal, however many requests and actions are made under it. */
  private entryFor(signal: AbortSignal): SignalEntry {
    let entry = this.signals.get(signal);
    if (entry) return entry;
    const made: SignalEntry = { key: this.nextSignal++, calls: new Map() };
    const cancel = (): void => {
      this.io.post({ op: "cancel", client: this.client, signal: made.key });
      for (const [id, [machineId, what]] of made.calls) {
        this.io.settle(id, new BmcError({ type: "Cancelled", transient: false, machineId, message: `${what} cancelled` }));
      }
    };
    // Already aborted: nothing to listen for; runAction tells the thread so itself.
    if (!signal.aborted) signal.addEventListener("abort", cancel, { once: true });
    this.signals.set(signal, made);
    return made;
  }

  async forget(machineId: string): Promise<void> {
    await this.io.call({ op: "forget", client: this.client, machineId }).done;
  }

  /** Logs out of the thread's sessions and closes its connections. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.io.call({ op: "close", client: this.client }).done;
  }
}
