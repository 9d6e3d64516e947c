import { request } from "undici";
import { Scheduler } from "../../../src/scheduler/scheduler.js";
import type { Clock } from "../../../src/scheduler/clock.js";
import { MemoryStore } from "../../../src/store/memory-store.js";
import type { Store } from "../../../src/store/store.js";
import { createGateway, type Gateway, type GatewayOptions } from "../../../gateway/app.js";
import { DEFAULT_CONFIG, type GatewayConfig } from "../../../gateway/config.js";
import { createLogger } from "../../../gateway/log.js";

export interface Running {
  gateway: Gateway;
  scheduler: Scheduler;
  store: Store;
  url: string;
  /** Every line the gateway logged. */
  logLines: string[];
  /** Stops serving, stops the scheduler, closes the store. */
  close(): Promise<void>;
}

export interface StartOptions extends Partial<Omit<GatewayOptions, "config" | "store" | "scheduler">> {
  config?: Partial<GatewayConfig>;
  /** A MemoryStore when absent. */
  store?: Store;
  /** Built over `store` when absent (zone: `timeZone`, else UTC). */
  scheduler?: Scheduler;
  /** The clock of the scheduler the helper builds. */
  schedulerClock?: Clock;
  /** Runs before the scheduler starts: define test actions here. */
  defineActions?: (scheduler: Scheduler) => void;
}

/** A gateway on 127.0.0.1, port 0, over a started scheduler, with its log captured. */
export async function startGateway(options: StartOptions = {}): Promise<Running> {
  const { store: givenStore, scheduler: givenScheduler, schedulerClock, defineActions, config: configOverrides, ...rest } = options;
  // Retention by age reads the store's own clock: give it the scheduler's, or runs in a test's past would be pruned at once.
  const store = givenStore ?? givenScheduler?.store ?? new MemoryStore(schedulerClock ? { now: () => schedulerClock.now() } : {});
  const scheduler =
    givenScheduler ??
    new Scheduler({ store, timeZone: options.timeZone ?? "UTC", ...(schedulerClock ? { clock: schedulerClock } : {}) });
  defineActions?.(scheduler);
  await scheduler.start();
  const logLines: string[] = [];
  const config: GatewayConfig = { ...DEFAULT_CONFIG, ...configOverrides };
  const gateway = createGateway({
    ...rest,
    scheduler,
    store,
    config,
    log: options.log ?? createLogger({ level: "debug", sink: (line) => logLines.push(line) }),
  });
  const { url } = await gateway.listen(0, "127.0.0.1");
  const close = async (): Promise<void> => {
    await gateway.close();
    await scheduler.stop({ graceMs: 1000 });
    await store.close();
  };
  return { gateway, scheduler, store, url, logLines, close };
}

export interface Reply {
  status: number;
  headers: Record<string, string>;
  text: string;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: Record<string, unknown>;
}

export interface CallOptions {
  body?: unknown;
  /** Sent as is, bypassing JSON encoding. */
  raw?: string | Buffer;
  headers?: Record<string, string>;
  /** Aborts the request (the client going away). */
  signal?: AbortSignal;
}

/** One HTTP request over a real socket. JSON bodies get Content-Type: application/json unless headers say otherwise. */
export async function call(base: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const headers: Record<string, string> = { ...options.headers };
  let body: string | Buffer | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    if (!Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) headers["content-type"] = "application/json";
  }
  const res = await request(`${base}${path}`, {
    method: method as "GET",
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await res.body.text();
  const flat: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) flat[k] = Array.isArray(v) ? v.join(", ") : String(v ?? "");
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  return { status: res.statusCode, headers: flat, text, json };
}

interface ErrorShape {
  code: string;
  message: string;
  "@Message.ExtendedInfo": {
    MessageId: string;
    Message: string;
    MessageArgs: string[];
    RelatedProperties: string[];
    Severity: string;
    MessageSeverity: string;
    Resolution: string;
  }[];
}

/** The `error` object of a Redfish error reply. */
export function redfishError(reply: Reply): ErrorShape {
  return reply.json["error"] as ErrorShape;
}

/** Every RelatedProperties entry of a Redfish error reply, flattened. */
export function related(reply: Reply): string[] {
  return redfishError(reply)["@Message.ExtendedInfo"].flatMap((e) => e.RelatedProperties);
}

/** Every MessageId of a Redfish error reply. */
export function messageIds(reply: Reply): string[] {
  return redfishError(reply)["@Message.ExtendedInfo"].map((e) => e.MessageId);
}

export const machineBody = (id: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  Id: id,
  Name: `Machine ${id}`,
  Type: "Extend",
  Endpoint: "https://10.0.0.10",
  Username: "root",
  Password: "s3cret-bmc-password",
  ...extra,
});

/** The value at a path of property names and indexes in parsed JSON; undefined when the path leads nowhere. */
export function dig(value: unknown, ...path: (string | number)[]): unknown {
  let at: unknown = value;
  for (const key of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** Registers machines over HTTP; each must come back 201. */
export async function registerMachines(base: string, ids: readonly string[], extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<void> {
  for (const id of ids) {
    const reply = await call(base, "POST", "/MultiFish/v1/Platform", { body: machineBody(id, extra), headers });
    if (reply.status !== 201) throw new Error(`registering ${id}: ${reply.status} ${reply.text}`);
  }
}

/** `@odata.id` of each member of a collection reply. */
export function memberIds(reply: Reply): string[] {
  return ((reply.json["Members"] ?? []) as { "@odata.id": string }[]).map((m) => m["@odata.id"]);
}
