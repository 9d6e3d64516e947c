/**
 * How requests to one BMC prove who we are. Basic sends the credentials on every
 * request and cannot recover from a 401. Session logs in once per machine
 * (POST SessionService/Sessions -> X-Auth-Token), shares the token between all
 * tasks on that machine, logs in again once when the BMC forgets the session
 * (401), and logs out on shutdown. The token and password never leave this file
 * except as request headers.
 */
import type { Machine } from "../platform/machine.js";
import { BmcError, httpError, isRecord } from "./errors.js";
import type { TransportRequest, TransportResponse } from "./transport.js";

export const SESSIONS_PATH = "/redfish/v1/SessionService/Sessions";

/** Sends a request without authentication (the caller records it). */
export type UnauthenticatedSend = (request: TransportRequest) => Promise<TransportResponse>;

export interface Authenticator {
  /** Headers that authenticate a request; a session logs in first if it has no token. */
  headers(send: UnauthenticatedSend, signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * The BMC answered 401 to a request sent with `rejected` headers. Returns true
   * when fresh credentials are now available and the request may be sent once more.
   */
  renew(rejected: Record<string, string>, send: UnauthenticatedSend, signal?: AbortSignal): Promise<boolean>;
  /** Ends whatever the authenticator holds on the BMC (a session). Never throws. */
  close(send: UnauthenticatedSend): Promise<void>;
}

export class BasicAuth implements Authenticator {
  /** Built once per machine: callers copy it into their own header object, never change it. */
  private readonly header: Readonly<Record<string, string>>;
  private readonly ready: Promise<Record<string, string>>;

  constructor(username: string, password: string) {
    this.header = Object.freeze({ authorization: "Basic " + Buffer.from(`${username}:${password}`, "utf8").toString("base64") });
    this.ready = Promise.resolve(this.header);
  }

  headers(): Promise<Record<string, string>> {
    return this.ready;
  }

  async renew(): Promise<boolean> {
    // Nothing to refresh: the same credentials would be refused again.
    return false;
  }

  async close(): Promise<void> {}
}

/** Waits for `promise`, but gives up as soon as `signal` fires (the promise keeps running for others). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, what: string): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(new BmcError({ type: "Cancelled", transient: false, message: `${what} cancelled` }));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new BmcError({ type: "Cancelled", transient: false, message: `${what} cancelled` }));
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener("abort", onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      },
    );
  });
}

function headerValue(headers: TransportResponse["headers"], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export class SessionAuth implements Authenticator {
  private token: string | undefined;
  private sessionUri: string | undefined;
  /** One login at a time per machine, shared by every task that needs it. */
  private pending: Promise<string> | undefined;

  constructor(
    private readonly machineId: string,
    private readonly username: string,
    private readonly password: string,
  ) {}

  async headers(send: UnauthenticatedSend, signal?: AbortSignal): Promise<Record<string, string>> {
    const token = this.token ?? (await untilAborted(this.login(send), signal, "Session login"));
    return { "x-auth-token": token };
  }

  async renew(rejected: Record<string, string>, send: UnauthenticatedSend, signal?: AbortSignal): Promise<boolean> {
    const stale = rejected["x-auth-token"];
    // Another task may already have logged in again after the same 401.
    if (this.token !== undefined && this.token !== stale) return true;
    this.token = undefined;
    this.sessionUri = undefined;
    await untilAborted(this.login(send), signal, "Session login");
    return true;
  }

  private login(send: UnauthenticatedSend): Promise<string> {
    if (!this.pending) {
      // Not tied to any task's signal: several tasks may be waiting on this login.
      this.pending = this.doLogin(send).finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async doLogin(send: UnauthenticatedSend): Promise<string> {
    const res = await send({
      method: "POST",
      path: SESSIONS_PATH,
      body: { UserName: this.username, Password: this.password },
    });
    if (res.status < 200 || res.status >= 300) {
      throw httpError(this.machineId, `Session login (POST ${SESSIONS_PATH})`, res);
    }
    const token = headerValue(res.headers, "x-auth-token");
    if (!token) {
      throw new BmcError({
        type: "InvalidResponse",
        transient: false,
        status: res.status,
        machineId: this.machineId,
        message: "Session login answered without an X-Auth-Token header",
      });
    }
    this.token = token;
    this.sessionUri = headerValue(res.headers, "location") ?? this.sessionUriFromBody(res.text);
    return token;
  }

  private sessionUriFromBody(text: string): string | undefined {
    try {
      const body: unknown = JSON.parse(text);
      return isRecord(body) && typeof body["@odata.id"] === "string" ? body["@odata.id"] : undefined;
    } catch {
      return undefined;
    }
  }

  async close(send: UnauthenticatedSend): Promise<void> {
    const token = this.token;
    const uri = this.sessionUri;
    this.token = undefined;
    this.sessionUri = undefined;
    if (!token || !uri) return;
    let path = uri;
    if (/^https?:\/\//.test(uri)) path = new URL(uri).pathname;
    await send({ method: "DELETE", path, headers: { "x-auth-token": token } }).catch(() => undefined);
  }

  /** True while a session token is held (for tests and shutdown). */
  get loggedIn(): boolean {
    return this.token !== undefined;
  }
}

export function authenticatorFor(machine: Machine): Authenticator {
  return machine.auth === "Session"
    ? new SessionAuth(machine.id, machine.username, machine.password)
    : new BasicAuth(machine.username, machine.password);
}
