/**
 * The process's BMC I/O thread (transport-worker.ts) as the main thread sees
 * it: operations go over in batches (one message per turn of the event loop),
 * answers come back the same way and settle their promises. One thread serves
 * every RedfishClient of the process; it is started on first use, holds the
 * process open only while operations are pending, and is started again if it dies.
 */
import { BatchedWorker } from "../batched-worker.js";
import { BmcError, type BmcErrorDetail, type BmcErrorType } from "./errors.js";
import type { ActionOutput, BmcActionName } from "./actions/types.js";
import type { PlanResult } from "../../src/scheduler/actions.js";
import type { Machine } from "../platform/machine.js";
import type { ManagerSnapshot } from "./actions/property-paths.js";
import type { HttpMethod, MachineEndpoint, TransportOptions, TransportResponse } from "./transport.js";

/** The action entry points the thread runs, as BmcAction names them. */
export type ActionKind = "run" | "plan" | "revert";

/** @internal what the main thread asks of the I/O thread. */
export type WireOp =
  | {
      op: "send";
      id: number;
      client: number;
      /** The client's settings: the thread makes its client from them (again, if the thread was restarted). */
      options: TransportOptions;
      machine: MachineEndpoint;
      method: HttpMethod;
      path: string;
      headers: Record<string, string> | undefined;
      body: unknown;
      /** Which of the main thread's signals the request listens to. */
      signal: number | undefined;
    }
  | {
      op: "action";
      id: number;
      client: number;
      options: TransportOptions;
      kind: ActionKind;
      action: BmcActionName;
      machine: Machine;
      payload: unknown;
      before?: ManagerSnapshot;
      after?: ManagerSnapshot;
      signal: number;
      /** The signal had fired before the action was sent. */
      aborted: boolean;
    }
  | { op: "cancel"; client: number; signal: number }
  | { op: "forget"; id: number; client: number; machineId: string }
  | { op: "close"; id: number; client: number };

/** Each kind of operation without its id (Omit over the union itself would merge the kinds). */
export type WithoutId<T> = T extends unknown ? Omit<T, "id"> : never;

/** @internal a failure as it crosses threads: a BmcError's fields, or any other error's message. */
export interface WireError {
  bmc: boolean;
  type: BmcErrorType;
  transient: boolean;
  message: string;
  machineId: string | undefined;
  status: number | undefined;
  retryAfterMs: number | undefined;
  detail: BmcErrorDetail | undefined;
  /** The file system or network code of the cause (ECONNREFUSED...). */
  code: string | undefined;
}

/** What an operation resolves with: a response (send), an action's output or plan, nothing (forget, close). */
export type WireValue = TransportResponse | ActionOutput | PlanResult | undefined;

/** @internal the I/O thread's answer to one operation. */
export type WireAnswer = { id: number; value?: WireValue; error?: WireError };

export function errorOf(e: WireError): Error {
  if (!e.bmc) return new Error(e.message);
  const cause = e.code === undefined ? undefined : Object.assign(new Error(e.code), { code: e.code });
  return new BmcError({
    type: e.type,
    transient: e.transient,
    message: e.message,
    ...(e.machineId !== undefined && { machineId: e.machineId }),
    ...(e.status !== undefined && { status: e.status }),
    ...(e.retryAfterMs !== undefined && { retryAfterMs: e.retryAfterMs }),
    ...(e.detail !== undefined && { detail: e.detail }),
    ...(cause && { cause }),
  });
}

export class IoThread {
  private readonly thread = new BatchedWorker<WireOp, WireAnswer, WireValue>({
    url: new URL("./transport-worker.js", import.meta.url),
    name: "the BMC I/O thread",
    outcome: (a) => (a.error ? { error: errorOf(a.error) } : { value: a.value }),
    lost: (error) => new BmcError({ type: "Unknown", transient: true, message: error.message, cause: error }),
  });

  call(op: WithoutId<Extract<WireOp, { id: number }>>): { id: number; done: Promise<WireValue> } {
    // The caller's object is made for this call: given its id in place rather than copied (once per task).
    return this.thread.call((id) => Object.assign(op, { id }) as WireOp);
  }

  post(op: WireOp): void {
    this.thread.post(op);
  }

  /** Starts the thread now (it loads undici and the actions) rather than when the first run needs it. */
  warm(): void {
    this.thread.warm();
  }

  /** Rejects one pending call now (its answer, if it comes, is dropped). */
  settle(id: number, error: Error): void {
    this.thread.settle(id, error);
  }
}

let shared: IoThread | undefined;

/** The process's I/O thread. */
export function ioThread(): IoThread {
  shared ??= new IoThread();
  return shared;
}
