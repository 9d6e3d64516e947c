/**
 * The Redfish client the actions and the live views use. `RedfishClient` is
 * long-lived (one per gateway): it owns the per-machine pools and sessions.
 * `client.connect(machine, { signal })` gives a `BmcConnection` for one task:
 * every request it makes is authenticated, bounded by the machine's timeout,
 * aborted with the task, and recorded for the result file.
 */
import type { Machine } from "../platform/machine.js";
import { authenticatorFor, type Authenticator, type UnauthenticatedSend } from "./auth.js";
import { BmcError, httpError, isBmcError, isRecord, type RequestRecord } from "./errors.js";
import { ThreadTransport } from "./thread-transport.js";
import { BmcTransport, type BmcWire, type HttpMethod, type TransportOptions, type TransportRequest, type TransportResponse } from "./transport.js";

export type RedfishClientOptions = TransportOptions & {
  /** Upper bound for logging out sessions on close(). Default 2 s. */
  logoutTimeoutMs?: number;
  /**
   * Send requests from the process's BMC I/O thread (thread-transport.ts)
   * instead of this thread: what the gateway does, so its API stays fast while
   * it fans out. Default false (embedders and tests keep everything in-thread).
   */
  ioThread?: boolean;
};

/** A resource as read from the BMC. */
export interface RedfishResource {
  uri: string;
  status: number;
  /** From the `ETag` header (or `@odata.etag`); undefined when the BMC sends none. */
  etag: string | undefined;
  body: Record<string, unknown>;
}

/** What a successful PATCH returned. */
export interface PatchResult {
  uri: string;
  status: number;
  /** The parsed body when there was one (bmcweb answers 200 with messages or 204). */
  body: unknown;
}

export interface ConnectOptions {
  /** The task's signal; aborting it aborts the request in flight. */
  signal?: AbortSignal;
  /** Where to record requests; a fresh array by default. */
  requests?: RequestRecord[];
}

interface AuthEntry {
  auth: Authenticator;
  /** The machine settings the authenticator was made from; a change makes a new one. */
  machine: Machine;
}

export class RedfishClient {
  readonly transport: BmcWire;
  private readonly auths = new Map<string, AuthEntry>();
  private readonly logoutTimeoutMs: number;

  constructor(options: RedfishClientOptions = {}) {
    this.transport = options.ioThread ? new ThreadTransport(options) : new BmcTransport(options);
    this.logoutTimeoutMs = options.logoutTimeoutMs ?? 2000;
  }

  connect(machine: Machine, options: ConnectOptions = {}): BmcConnection {
    return new BmcConnection(this, machine, options);
  }

  /** @internal the authenticator for a machine, rebuilt when its credentials or auth mode change. */
  authFor(machine: Machine): Authenticator {
    const existing = this.auths.get(machine.id);
    // Field by field, not a serialised key: this runs for every request.
    if (
      existing &&
      existing.machine.endpoint === machine.endpoint &&
      (existing.machine.auth ?? "Basic") === (machine.auth ?? "Basic") &&
      existing.machine.username === machine.username &&
      existing.machine.password === machine.password
    ) {
      return existing.auth;
    }
    // Credentials or auth mode changed: end the old session. When the endpoint
    // moved, the old BMC is no longer ours to talk to; its session expires there.
    if (existing && existing.machine.endpoint === machine.endpoint) void this.logout({ ...existing, machine });
    const auth = authenticatorFor(machine);
    this.auths.set(machine.id, { auth, machine });
    return auth;
  }

  private async logout(entry: AuthEntry): Promise<void> {
    const send: UnauthenticatedSend = (req) =>
      this.transport.send(entry.machine, { ...req, signal: AbortSignal.timeout(this.logoutTimeoutMs) });
    await entry.auth.close(send);
  }

  /** Drops what the client holds for a machine (deleted or re-registered): session, then pool. */
  async forget(machineId: string): Promise<void> {
    const entry = this.auths.get(machineId);
    this.auths.delete(machineId);
    if (entry) await this.logout(entry);
    await this.transport.forget(machineId);
  }

  /** Logs out of every session (bounded by logoutTimeoutMs each, in parallel), then closes every pool. */
  async close(): Promise<void> {
    const entries = [...this.auths.values()];
    this.auths.clear();
    await Promise.all(entries.map((e) => this.logout(e)));
    await this.transport.close();
  }
}

function headerValue(headers: TransportResponse["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}

export class BmcConnection {
  readonly requests: RequestRecord[];
  private readonly signal: AbortSignal | undefined;

  constructor(
    private readonly client: RedfishClient,
    readonly machine: Machine,
    options: ConnectOptions,
  ) {
    this.signal = options.signal;
    this.requests = options.requests ?? [];
  }

  /** GET a resource; rejects with a BmcError on any non-2xx answer or a body that is not a JSON object. */
  get(path: string): Promise<RedfishResource> {
    return this.guard(() => this.getOnce(path));
  }

  /** The rest of the class calls these unguarded: one guard per public call is enough (each is an async layer per request). */
  private async getOnce(path: string): Promise<RedfishResource> {
    const res = await this.requestOnce("GET", path);
    if (!isSuccess(res.status)) throw httpError(this.machine.id, `GET ${path}`, res);
    let body: unknown;
    try {
      body = JSON.parse(res.text);
    } catch {
      throw this.invalid(path, res, "is not JSON");
    }
    if (!isRecord(body)) throw this.invalid(path, res, "is not a JSON object");
    const etag = headerValue(res.headers, "etag") ?? (typeof body["@odata.etag"] === "string" ? body["@odata.etag"] : undefined);
    return { uri: path, status: res.status, etag, body };
  }

  /** PATCH a resource, with `If-Match` when given. Rejects with a BmcError on any non-2xx answer. */
  patch(path: string, body: unknown, options: { ifMatch?: string } = {}): Promise<PatchResult> {
    return this.guard(() => this.patchOnce(path, body, options));
  }

  private async patchOnce(path: string, body: unknown, options: { ifMatch?: string }): Promise<PatchResult> {
    const headers: Record<string, string> = {};
    if (options.ifMatch !== undefined) headers["if-match"] = options.ifMatch;
    const res = await this.requestOnce("PATCH", path, body, headers);
    if (!isSuccess(res.status)) throw httpError(this.machine.id, `PATCH ${path}`, res);
    let parsed: unknown;
    if (res.text !== "") {
      try {
        parsed = JSON.parse(res.text);
      } catch {
        throw this.invalid(path, res, "is not JSON");
      }
    }
    return { uri: path, status: res.status, body: parsed };
  }

  /**
   * Read-modify-write with optimistic concurrency: `build` turns the current
   * resource into a PATCH body (and may refuse by throwing). The PATCH carries
   * `If-Match` with the ETag read, unless the machine has `disableEtagMatch` or
   * the BMC sent no ETag. On 412 the resource is read again, `build` runs again
   * on the fresh copy, and the PATCH is sent once more; a second 412 fails.
   */
  async update(path: string, build: (current: RedfishResource) => unknown, options: { current?: RedfishResource } = {}): Promise<PatchResult> {
    return this.guard(async () => {
      let current = options.current ?? (await this.getOnce(path));
      for (let attempt = 1; ; attempt++) {
        const body = build(current);
        const ifMatch = this.machine.disableEtagMatch ? undefined : current.etag;
        try {
          return await this.patchOnce(path, body, ifMatch === undefined ? {} : { ifMatch });
        } catch (error) {
          const stale = isBmcError(error) && error.type === "HttpError" && error.status === 412;
          if (!stale || attempt > 1 || ifMatch === undefined) throw error;
          current = await this.getOnce(path);
        }
      }
    });
  }

  /**
   * One authenticated, recorded request; answers with any status. A 401 makes a
   * session log in again and the request go once more.
   */
  request(method: HttpMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<TransportResponse> {
    return this.guard(() => this.requestOnce(method, path, body, headers));
  }

  private async requestOnce(method: HttpMethod, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<TransportResponse> {
    const auth = this.client.authFor(this.machine);
    const send: UnauthenticatedSend = (req) => this.send(req);
    let authHeaders = await auth.headers(send, this.signal);
    const attempt = () => this.send({ method, path, body, headers: { ...headers, ...authHeaders } });
    let res = await attempt();
    if (res.status === 401 && (await auth.renew(authHeaders, send, this.signal))) {
      authHeaders = await auth.headers(send, this.signal);
      res = await attempt();
    }
    return res;
  }

  /** Sends through the machine's pool and records the request (never its body or headers). */
  private async send(req: TransportRequest): Promise<TransportResponse> {
    const started = performance.now();
    // Field by field: a spread followed by another field costs several times more, for every request.
    const request: TransportRequest = this.signal ? { method: req.method, path: req.path, headers: req.headers, body: req.body, signal: this.signal } : req;
    try {
      const res = await this.client.transport.send(this.machine, request);
      this.requests.push({ method: req.method, uri: req.path, status: res.status, duration_ms: res.durationMs });
      return res;
    } catch (error) {
      const record: RequestRecord = { method: req.method, uri: req.path, status: null, duration_ms: Math.round(performance.now() - started) };
      if (isBmcError(error)) record.error_type = error.type;
      this.requests.push(record);
      throw error;
    }
  }

  private invalid(path: string, res: TransportResponse, problem: string): BmcError {
    return new BmcError({
      type: "InvalidResponse",
      transient: false,
      status: res.status,
      machineId: this.machine.id,
      message: `The BMC's answer to ${path} ${problem}`,
      detail: { body: res.text.slice(0, 512) },
    });
  }

  /** Every error leaving a connection is a BmcError carrying the requests made so far. */
  private async guard<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const bmcError = isBmcError(error)
        ? error
        : new BmcError({
            type: "Unknown",
            transient: false,
            machineId: this.machine.id,
            message: error instanceof Error ? error.message : String(error),
            cause: error,
          });
      bmcError.detail.requests = this.requests;
      throw bmcError;
    }
  }
}
