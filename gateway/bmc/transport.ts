/**
 * The wire: a few pooled connections per machine (machine-pool.ts), so a slow BMC only ever ties up its own
 * few sockets, and connections stay open (keep-alive) across the GET and PATCH of
 * a task and across tasks. Everything above this file sees either an HTTP response
 * (any status) or a classified BmcError; never a raw socket error.
 */
import { MachinePool } from "./machine-pool.js";
import type { Machine } from "../platform/machine.js";
import { BmcError, classifyTransportFailure, describeFailure } from "./errors.js";

export type HttpMethod = "GET" | "PATCH" | "POST" | "DELETE";

export interface TransportOptions {
  /** Open connections per machine at most; requests beyond queue in the machine's pool. Default 4. */
  connectionsPerMachine?: number;
  /** How long an idle kept-alive socket stays open. Default 4 s. */
  keepAliveTimeoutMs?: number;
  /** Bodies larger than this are refused as InvalidResponse. Default 4 MiB. */
  maxResponseBytes?: number;
  /** Used when a machine has no usable timeout. Default 30 s. */
  defaultTimeoutSeconds?: number;
}

export interface TransportRequest {
  method: HttpMethod;
  /** Path below the endpoint, starting with `/redfish/v1`. */
  path: string;
  headers?: Record<string, string>;
  /** Serialised as JSON. */
  body?: unknown;
  /** The task's signal: aborting it aborts the request and frees the socket. */
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The raw body text ("" when empty). */
  text: string;
  durationMs: number;
}

/** What the wire needs to know of a machine: where it is and how to connect. */
export type MachineEndpoint = Pick<Machine, "id" | "endpoint" | "insecure" | "httpClientTimeoutSeconds">;

/** Sends requests to BMCs: on this thread (BmcTransport) or on the process's BMC I/O thread (ThreadTransport). */
export interface BmcWire {
  send(machine: MachineEndpoint, request: TransportRequest): Promise<TransportResponse>;
  /** Drops a machine's connections (machine deleted or re-registered). */
  forget(machineId: string): Promise<void>;
  /** Closes every connection; requests still running fail with ClientClosed. */
  close(): Promise<void>;
}

interface PoolEntry {
  pool: MachinePool;
  /** Connection settings the pool was built with; a changed machine gets a new pool. */
  endpoint: string;
  insecure: boolean;
  timeoutMs: number;
  basePath: string;
}

/** Sent with every request; copied only when a request adds headers of its own. */
const BASE_HEADERS: Record<string, string> = Object.freeze({
  accept: "application/json",
  "odata-version": "4.0",
  // Compression would make some BMCs hand out weak ETags; we want them strong.
  "accept-encoding": "identity",
  "user-agent": "Shoal",
}) as Record<string, string>;

export class BmcTransport implements BmcWire {
  private readonly pools = new Map<string, PoolEntry>();
  private readonly connections: number;
  private readonly keepAliveTimeoutMs: number;
  private readonly maxResponseBytes: number;
  private readonly defaultTimeoutSeconds: number;
  private closed = false;

  constructor(options: TransportOptions = {}) {
    this.connections = options.connectionsPerMachine ?? 4;
    this.keepAliveTimeoutMs = options.keepAliveTimeoutMs ?? 4000;
    this.maxResponseBytes = options.maxResponseBytes ?? 4 * 1024 * 1024;
    this.defaultTimeoutSeconds = options.defaultTimeoutSeconds ?? 30;
  }

  /** The per-request deadline for a machine, in ms. */
  timeoutMs(machine: MachineEndpoint): number {
    const s = machine.httpClientTimeoutSeconds;
    return Math.round((Number.isFinite(s) && s > 0 ? s : this.defaultTimeoutSeconds) * 1000);
  }

  /**
   * Sends one request. Resolves with the response whatever its status; rejects
   * with a BmcError when there is no response: refused, reset, timed out,
   * cancelled, DNS, TLS...
   */
  async send(machine: MachineEndpoint, request: TransportRequest): Promise<TransportResponse> {
    const started = performance.now();
    const entry = this.poolFor(machine);
    const timeoutMs = entry.timeoutMs;
    const failure = (type: BmcError["type"], transient: boolean, message: string, cause?: unknown) =>
      new BmcError({ type, transient, message, machineId: machine.id, cause });

    if (this.closed) throw failure("ClientClosed", false, "The BMC client is shut down");
    if (request.signal?.aborted) throw failure("Cancelled", false, `${request.method} ${request.path} cancelled before it was sent`);

    // No controller, timer or listener per request: undici bounds connect,
    // headers and each body read by the machine's timeout, and the task's
    // signal has one listener for all its requests (shared-abort.ts).
    // Thousands of requests a second made those objects a measurable share of
    // the fan-out's CPU.
    const headers = request.headers === undefined && request.body === undefined ? BASE_HEADERS : { ...BASE_HEADERS, ...request.headers };
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers["content-type"] = "application/json";
    }

    try {
      const res = await entry.pool.request(
        {
          method: request.method,
          path: entry.basePath + request.path,
          headers,
          body: payload,
          headersTimeout: timeoutMs,
          bodyTimeout: timeoutMs,
        },
        request.signal,
      );
      return { status: res.statusCode, headers: res.headers, text: res.text, durationMs: Math.round(performance.now() - started) };
    } catch (error) {
      const what = `${request.method} ${request.path}`;
      if (request.signal?.aborted) throw failure("Cancelled", false, `${what} cancelled`, error);
      if (this.closed) throw failure("ClientClosed", false, `${what} interrupted: the BMC client is shut down`, error);
      const { type, transient } = classifyTransportFailure(error);
      if (type === "Timeout") throw failure("Timeout", true, `${what} got no answer within ${timeoutMs} ms`, error);
      throw failure(type, transient, `${what} failed: ${describeFailure(error)}`, error);
    }
  }

  private poolFor(machine: MachineEndpoint): PoolEntry {
    const timeoutMs = this.timeoutMs(machine);
    const existing = this.pools.get(machine.id);
    // Compared field by field: this runs for every request, and a URL parse or a JSON key costs more than the rest of it.
    if (existing && existing.endpoint === machine.endpoint && existing.insecure === machine.insecure && existing.timeoutMs === timeoutMs) {
      return existing;
    }
    // The machine was changed: requests already on the old pool finish there.
    if (existing) void existing.pool.close().catch(() => undefined);

    const url = new URL(machine.endpoint);
    const pool = new MachinePool(url.origin, this.connections, {
      keepAliveTimeout: this.keepAliveTimeoutMs,
      connectTimeout: timeoutMs,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      maxResponseSize: this.maxResponseBytes,
      // TLS verification is a per-machine decision; the pool's connector is this machine's alone.
      connect: { rejectUnauthorized: !machine.insecure, timeout: timeoutMs },
    });
    const entry: PoolEntry = { pool, endpoint: machine.endpoint, insecure: machine.insecure, timeoutMs, basePath: url.pathname.replace(/\/+$/, "") };
    this.pools.set(machine.id, entry);
    return entry;
  }

  /** Number of machines that currently have a pool. */
  get poolCount(): number {
    return this.pools.size;
  }

  /** Open sockets towards one machine (0 when it has no pool). */
  connectedSockets(machineId: string): number {
    return this.pools.get(machineId)?.pool.connected ?? 0;
  }

  /** Drops a machine's pool (machine deleted); requests in flight finish first (bounded by their timeout). */
  async forget(machineId: string): Promise<void> {
    const entry = this.pools.get(machineId);
    if (!entry) return;
    this.pools.delete(machineId);
    await entry.pool.close().catch(() => undefined);
  }

  /** Closes every pool. Idle sockets close at once; requests still running are aborted. */
  async close(): Promise<void> {
    this.closed = true;
    const entries = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(entries.map((e) => e.pool.destroy().catch(() => undefined)));
  }
}
