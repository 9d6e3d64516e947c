/**
 * One simulated BMC: a small Redfish server on 127.0.0.1 (node:http, or https
 * when given a certificate) shaped like OpenBMC's bmcweb.
 *
 * Why one port per BMC rather than one port with a path prefix per BMC: a real
 * fleet is many hosts, and the failures that matter are per host. With a port
 * each, "refuse connections" really closes that BMC's listening socket (the
 * client sees ECONNREFUSED, as from a powered-off BMC), "reset" kills only that
 * BMC's TCP connection, and the client's per-machine connection pool (keyed by
 * origin) is exercised exactly as in production. 2 000 listeners cost about
 * 2 000 file descriptors, which the bench can afford.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { Socket } from "node:net";
import type { Machine, MachineType } from "../../gateway/platform/machine.js";
import * as model from "./bmc-model.js";
import { FaultSlot, type SimFault, type SimMethod } from "./faults.js";
import { holdPort, readyToHold } from "../helpers/port-hold.js";
import { errorBody, msg, type RedfishMessage } from "./redfish-messages.js";
import { accountDocument, allowFor, describedBy, OPEN_DOCUMENTS, openDocument, resetSystem } from "./standard-documents.js";

export interface SimulatedBmcOptions {
  /** Identifies the BMC (and is the machine id `machine()` proposes). Default "sim-1". */
  id?: string;
  /** `Extend` (default) has the OpenBMC fan OEM block; `Base` is a plain Redfish BMC. */
  type?: MachineType;
  username?: string;
  password?: string;
  /** Manager ids. Default ["bmc"]. */
  managers?: string[];
  /** The fan profile's AllowableValues. Default Performance, Balanced, PowerSaver, Custom. */
  profiles?: string[];
  /** Added to every answer (see setLatency). */
  latencyMs?: number;
  /** Serve HTTPS with this key pair (PEM). */
  tls?: { key: string | Buffer; cert: string | Buffer };
  /** Port to bind; default 0 (any free port). */
  port?: number;
}

export interface SimStats {
  /** Requests received (including ones a fault answered). */
  requests: number;
  byMethod: Record<string, number>;
  /** PATCHes that changed state. */
  patchesApplied: number;
  /** PATCHes answered with an error (validation, 412, 401...), faults excluded. */
  patchesRejected: number;
  /** PATCHes received and not yet answered. */
  inFlightPatches: number;
  maxInFlightPatches: number;
  /** Requests of any method received and not yet answered, and the most at once (one writer per machine shows as 1). */
  inFlightRequests: number;
  maxInFlightRequests: number;
  /** TCP connections currently open to this BMC. */
  openConnections: number;
  /** TCP connections accepted since start (or the last resetStats). */
  connectionsAccepted: number;
  /** Requests a fault answered (or swallowed). */
  faultsInjected: number;
  /** Requests held by a `hang` fault whose connection is still open. */
  hanging: number;
  sessionsCreated: number;
  sessionsDeleted: number;
}

export function freshStats(): SimStats {
  return {
    requests: 0,
    byMethod: {},
    patchesApplied: 0,
    patchesRejected: 0,
    inFlightPatches: 0,
    maxInFlightPatches: 0,
    inFlightRequests: 0,
    maxInFlightRequests: 0,
    openConnections: 0,
    connectionsAccepted: 0,
    faultsInjected: 0,
    hanging: 0,
    sessionsCreated: 0,
    sessionsDeleted: 0,
  };
}

const MAX_BODY = 1024 * 1024;

export function etagOf(doc: unknown): string {
  return etagOfText(JSON.stringify(doc));
}

/** The ETag of a document already serialised (its JSON text), so a GET serialises it once. */
function etagOfText(text: string): string {
  return `"${createHash("sha1").update(text).digest("hex").slice(0, 16)}"`;
}

export class SimulatedBmc {
  readonly id: string;
  readonly type: MachineType;
  readonly username: string;
  readonly password: string;
  readonly state: model.SimState;
  readonly stats: SimStats = freshStats();

  /**
   * Called for every request that reaches routing (after latency and faults),
   * before it is handled: lets a test change state "concurrently", e.g. between
   * a client's GET and its PATCH.
   */
  onRequest: ((method: string, path: string) => void) | undefined;

  private readonly server: Server;
  private readonly scheme: "http" | "https";
  private readonly sockets = new Set<Socket>();
  private readonly sessions = new Map<string, string>(); // token -> session id
  private readonly faults = new FaultSlot();
  private latencyMs: number;
  private latencyMethods: SimMethod[] | undefined;
  private patchGate: Promise<void> | undefined;
  private port: number;
  private listening = false;
  /** While refusing: gives the closed port back (see port-hold.ts for why it is held). */
  private releasePort: (() => void) | undefined;

  constructor(options: SimulatedBmcOptions = {}) {
    this.id = options.id ?? "sim-1";
    this.type = options.type ?? "Extend";
    this.username = options.username ?? "admin";
    this.password = options.password ?? "sim-password";
    this.latencyMs = options.latencyMs ?? 0;
    this.port = options.port ?? 0;
    this.state = model.initialState({
      managers: options.managers ?? ["bmc"],
      openBmcFan: this.type === "Extend",
      profiles: options.profiles ?? model.DEFAULT_PROFILES,
    });
    const handler = (req: IncomingMessage, res: ServerResponse) => void this.handle(req, res);
    this.scheme = options.tls ? "https" : "http";
    this.server = options.tls ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler) : createHttpServer(handler);
    this.server.keepAliveTimeout = 5000;
    this.server.on(options.tls ? "secureConnection" : "connection", (socket: Socket) => this.track(socket));
    // A method Node's parser does not know is 501, as DSP0266 asks; any other broken request 400, as Node answers.
    this.server.on("clientError", (error: Error & { code?: string }, socket: Socket) => {
      const status = error.code === "HPE_INVALID_METHOD" ? "501 Not Implemented" : "400 Bad Request";
      if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    });
  }

  private track(socket: Socket): void {
    this.sockets.add(socket);
    this.stats.openConnections += 1;
    this.stats.connectionsAccepted += 1;
    socket.once("close", () => {
      this.sockets.delete(socket);
      this.stats.openConnections -= 1;
    });
  }

  /** Base URL of this BMC, e.g. `http://127.0.0.1:41234`. */
  get endpoint(): string {
    return `${this.scheme}://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    await this.listen();
    return this;
  }

  private listen(): Promise<void> {
    this.releasePort?.();
    this.releasePort = undefined;
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      this.server.once("error", onError);
      this.server.listen(this.port, "127.0.0.1", () => {
        this.server.off("error", onError);
        const address = this.server.address();
        if (address && typeof address === "object") this.port = address.port;
        this.listening = true;
        resolve();
      });
    });
  }

  private async stopListening(holdThePort = false): Promise<void> {
    if (!this.listening) return;
    this.listening = false;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // The port is free from here on; hold it before the connections are closed, so no one else gets it.
    const held = holdThePort ? holdPort(this.port) : undefined;
    this.server.closeAllConnections();
    for (const s of this.sockets) s.destroy();
    await closed;
    if (held) this.releasePort = await held;
  }

  /** Sets (or, with null, clears) the fault. `refuse` closes the listener; clearing it listens again on the same port. */
  async setFault(fault: SimFault | null): Promise<void> {
    this.faults.set(fault);
    if (fault?.kind === "refuse") {
      if (!this.listening) return;
      await readyToHold();
      await this.stopListening(true);
    } else if (!this.listening) await this.listen();
  }

  get fault(): SimFault | null {
    return this.faults.current;
  }

  /** Delay every answer (or only answers to `methods`) by `ms`. */
  setLatency(ms: number, methods?: SimMethod[]): void {
    this.latencyMs = ms;
    this.latencyMethods = methods;
  }

  /**
   * Hold every PATCH (counted in flight, not yet answered) until the returned
   * function is called: lets a test see exactly how many a client has sent at
   * once, whatever the machine's speed.
   */
  holdPatches(): () => void {
    let release!: () => void;
    this.patchGate = new Promise<void>((resolve) => (release = resolve));
    return () => {
      this.patchGate = undefined;
      release();
    };
  }

  /** Forget every session, as a BMC does when sessions time out or it reboots. */
  expireSessions(): void {
    this.sessions.clear();
  }

  get activeSessions(): number {
    return this.sessions.size;
  }

  resetStats(): void {
    const open = this.stats.openConnections;
    const inFlight = this.stats.inFlightPatches;
    const requests = this.stats.inFlightRequests;
    const hanging = this.stats.hanging;
    Object.assign(this.stats, freshStats(), {
      openConnections: open,
      inFlightPatches: inFlight,
      maxInFlightPatches: inFlight,
      inFlightRequests: requests,
      maxInFlightRequests: requests,
      hanging,
    });
  }

  /** A machine record that reaches this BMC, for tests and the demo. */
  machine(overrides: Partial<Machine> = {}): Machine {
    return {
      id: this.id,
      name: `Simulated BMC ${this.id}`,
      type: this.type,
      endpoint: this.endpoint,
      username: this.username,
      password: this.password,
      insecure: this.scheme === "https",
      httpClientTimeoutSeconds: 5,
      disableEtagMatch: false,
      ...overrides,
    };
  }

  /** The manager as a GET would render it. */
  managerDocument(managerId = "bmc"): Record<string, unknown> | undefined {
    const m = this.state.managers[managerId];
    return m ? model.manager(m, this.state.systemId) : undefined;
  }

  async close(): Promise<void> {
    this.faults.set(null);
    this.releasePort?.();
    this.releasePort = undefined;
    await this.stopListening();
  }

  // ------------------------------------------------------------ request handling

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? "GET";
    this.stats.requests += 1;
    this.stats.byMethod[method] = (this.stats.byMethod[method] ?? 0) + 1;
    this.stats.inFlightRequests += 1;
    this.stats.maxInFlightRequests = Math.max(this.stats.maxInFlightRequests, this.stats.inFlightRequests);
    res.once("close", () => (this.stats.inFlightRequests -= 1));
    if (method === "PATCH") {
      this.stats.inFlightPatches += 1;
      this.stats.maxInFlightPatches = Math.max(this.stats.maxInFlightPatches, this.stats.inFlightPatches);
      res.once("close", () => (this.stats.inFlightPatches -= 1));
    }

    let raw: string;
    try {
      raw = await readBody(req);
    } catch {
      this.reply(res, 413, errorBody([msg.generalError("The request body is too large.")]));
      return;
    }
    if (this.latencyMs > 0 && (!this.latencyMethods || this.latencyMethods.includes(method as SimMethod))) {
      await pause(this.latencyMs, res);
      if (res.destroyed) return;
    }

    if (method === "PATCH" && this.patchGate) {
      await this.patchGate;
      if (res.destroyed) return;
    }

    const fault = this.faults.take(method);
    if (fault) {
      this.stats.faultsInjected += 1;
      this.injure(fault, req, res);
      return;
    }

    const path = (req.url ?? "/").split("?")[0]!.replace(/\/+$/, "") || "/";
    this.onRequest?.(method, path);
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("Allow", allowFor(path));
    const odataVersion = req.headers["odata-version"];
    if (typeof odataVersion === "string" && odataVersion.trim() !== "4.0") {
      this.reply(res, 412, errorBody([msg.generalError("This service speaks OData-Version 4.0.")]));
      return;
    }
    const login = method === "POST" && /^\/redfish\/v1\/SessionService\/Sessions(\/Members)?$/.test(path);
    if (!((method === "GET" || method === "HEAD") && OPEN_DOCUMENTS.has(path)) && !login) {
      if (!this.authenticated(req)) {
        if (method === "PATCH") this.stats.patchesRejected += 1;
        res.setHeader("WWW-Authenticate", 'Basic realm="Simulated BMC"');
        this.reply(res, 401, errorBody([req.headers["x-auth-token"] ? msg.noValidSession() : msg.resourceAtUriUnauthorized(path)]));
        return;
      }
    }
    // HEAD is GET without the body (Node leaves the body out); a POST to a collection's Members is one to the collection.
    const asMethod = method === "HEAD" ? "GET" : method;
    this.route(asMethod, asMethod === "POST" ? path.replace(/\/SessionService\/Sessions\/Members$/, "/SessionService/Sessions") : path, raw, req, res);
  }

  private injure(fault: Exclude<SimFault, { kind: "refuse" }>, req: IncomingMessage, res: ServerResponse): void {
    switch (fault.kind) {
      case "hang":
        // Never answer. When the client gives up, drop our side too (node would
        // otherwise keep the half-closed socket for the answer that never comes).
        this.stats.hanging += 1;
        req.socket.once("close", () => (this.stats.hanging -= 1));
        req.socket.once("end", () => req.socket.destroy());
        return;
      case "reset":
        req.socket.resetAndDestroy();
        return;
      case "malformedJson":
        res.writeHead(200, { "Content-Type": "application/json", "OData-Version": "4.0" });
        res.end('{"@odata.id": "/redfish/v1/Managers/bmc", "Name": "OpenBmc Manager", "Oem": {');
        return;
      case "status": {
        if (fault.retryAfter !== undefined) res.setHeader("Retry-After", fault.retryAfter);
        let m: RedfishMessage;
        if (fault.status === 503) m = msg.serviceTemporarilyUnavailable(fault.retryAfter ?? "1");
        else if (fault.status >= 500) m = msg.internalError();
        else if (fault.status === 429) m = msg.generalError("Too many requests.");
        else m = msg.generalError("The request could not be processed (simulated fault).");
        this.reply(res, fault.status, errorBody([m]));
        return;
      }
    }
  }

  private authenticated(req: IncomingMessage): boolean {
    const token = req.headers["x-auth-token"];
    if (typeof token === "string") return this.sessions.has(token);
    const auth = req.headers.authorization;
    if (typeof auth === "string" && auth.startsWith("Basic ")) {
      const decoded = Buffer.from(auth.slice(6), "base64").toString("utf8");
      const i = decoded.indexOf(":");
      return i >= 0 && decoded.slice(0, i) === this.username && decoded.slice(i + 1) === this.password;
    }
    return false;
  }

  private route(method: string, path: string, raw: string, req: IncomingMessage, res: ServerResponse): void {
    const managerMatch = /^\/redfish\/v1\/Managers\/([^/]+)$/.exec(path);
    const sessionMatch = /^\/redfish\/v1\/SessionService\/Sessions\/([^/]+)$/.exec(path);
    const systemMatch = /^\/redfish\/v1\/Systems\/([^/]+)$/.exec(path);

    if (path === "/redfish/v1") return this.getOnly(method, res, () => model.serviceRoot());
    const account = accountDocument(path, this.username);
    if (account) return this.getOnly(method, res, () => account);
    const open = openDocument(path);
    if (open) {
      if (method !== "GET") return this.reply(res, 405, errorBody([msg.operationNotAllowed()]));
      res.writeHead(200, { "Content-Type": `${open.type}; charset=utf-8`, "OData-Version": "4.0" });
      res.end(open.text);
      return;
    }
    if (path === `/redfish/v1/Systems/${this.state.systemId}/Actions/ComputerSystem.Reset`) {
      if (method !== "POST") return this.reply(res, 405, errorBody([msg.operationNotAllowed()]));
      const refusal = resetSystem(this.state, raw);
      if (refusal) return this.reply(res, 400, errorBody([msg.generalError(refusal)]));
      res.writeHead(204, { "OData-Version": "4.0" });
      res.end();
      return;
    }
    if (path === "/redfish/v1/Systems")
      return this.getOnly(method, res, () => model.collection(path, "ComputerSystemCollection", "Computer System Collection", [this.state.systemId]));
    if (systemMatch) {
      if (systemMatch[1] !== this.state.systemId) return this.notFound(res, "ComputerSystem", systemMatch[1]!);
      return this.getOnly(method, res, () => model.system(this.state, this.id));
    }
    if (path === "/redfish/v1/Managers")
      return this.getOnly(method, res, () => model.collection(path, "ManagerCollection", "Manager Collection", Object.keys(this.state.managers)));
    if (managerMatch) return this.managerRoute(method, decodeURIComponent(managerMatch[1]!), raw, req, res);
    if (path === "/redfish/v1/SessionService")
      return this.getOnly(method, res, () => ({
        "@odata.id": path,
        "@odata.type": "#SessionService.v1_1_8.SessionService",
        Id: "SessionService",
        Name: "Session Service",
        ServiceEnabled: true,
        SessionTimeout: 3600,
        Sessions: { "@odata.id": "/redfish/v1/SessionService/Sessions" },
      }));
    if (path === "/redfish/v1/SessionService/Sessions") {
      if (method === "POST") return this.login(raw, res);
      return this.getOnly(method, res, () => model.collection(path, "SessionCollection", "Session Collection", [...this.sessions.values()]));
    }
    if (sessionMatch) return this.sessionRoute(method, sessionMatch[1]!, res);
    return this.notFound(res, "Resource", path);
  }

  private getOnly(method: string, res: ServerResponse, render: () => Record<string, unknown>): void {
    if (method !== "GET") return this.reply(res, 405, errorBody([msg.operationNotAllowed()]));
    const doc = render();
    const text = JSON.stringify(doc);
    res.setHeader("ETag", etagOfText(text));
    this.reply(res, 200, doc, text);
  }

  private notFound(res: ServerResponse, type: string, id: string): void {
    this.reply(res, 404, errorBody([msg.resourceNotFound(type, id)]));
  }

  private managerRoute(method: string, id: string, raw: string, req: IncomingMessage, res: ServerResponse): void {
    const m = this.state.managers[id];
    if (!m) {
      if (method === "PATCH") this.stats.patchesRejected += 1;
      return this.notFound(res, "Manager", id);
    }
    if (method === "GET") return this.getOnly(method, res, () => model.manager(m, this.state.systemId));
    if (method !== "PATCH") return this.reply(res, 405, errorBody([msg.operationNotAllowed()]));

    const reject = (status: number, messages: RedfishMessage[]) => {
      this.stats.patchesRejected += 1;
      this.reply(res, status, errorBody(messages));
    };
    const ifMatch = req.headers["if-match"];
    if (typeof ifMatch === "string") {
      const current = etagOf(model.manager(m, this.state.systemId));
      const offered = ifMatch.split(",").map((s) => s.trim());
      if (!offered.includes("*") && !offered.includes(current)) return reject(412, [msg.preconditionFailed()]);
    }
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return reject(400, [msg.malformedJSON()]);
    }
    const outcome = model.applyManagerPatch(m, body);
    if (!outcome.ok) return reject(outcome.status, outcome.messages);
    this.stats.patchesApplied += 1;
    res.writeHead(204, { "OData-Version": "4.0" });
    res.end();
  }

  private login(raw: string, res: ServerResponse): void {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return this.reply(res, 400, errorBody([msg.malformedJSON()]));
    }
    const b = (typeof body === "object" && body !== null ? body : {}) as Record<string, unknown>;
    if (b.UserName !== this.username || b.Password !== this.password) {
      return this.reply(res, 401, errorBody([msg.resourceAtUriUnauthorized("/redfish/v1/SessionService/Sessions")]));
    }
    const token = randomBytes(20).toString("hex");
    const sessionId = randomBytes(5).toString("hex");
    this.sessions.set(token, sessionId);
    this.stats.sessionsCreated += 1;
    const uri = `/redfish/v1/SessionService/Sessions/${sessionId}`;
    res.setHeader("X-Auth-Token", token);
    res.setHeader("Location", uri);
    this.reply(res, 201, {
      "@odata.id": uri,
      "@odata.type": "#Session.v1_7_0.Session",
      Id: sessionId,
      Name: "User Session",
      UserName: this.username,
    });
  }

  private sessionRoute(method: string, sessionId: string, res: ServerResponse): void {
    const token = [...this.sessions.entries()].find(([, id]) => id === sessionId)?.[0];
    if (token === undefined) return this.notFound(res, "Session", sessionId);
    if (method === "DELETE") {
      this.sessions.delete(token);
      this.stats.sessionsDeleted += 1;
      res.writeHead(204, { "OData-Version": "4.0" });
      res.end();
      return;
    }
    return this.getOnly(method, res, () => ({
      "@odata.id": `/redfish/v1/SessionService/Sessions/${sessionId}`,
      "@odata.type": "#Session.v1_7_0.Session",
      Id: sessionId,
      Name: "User Session",
      UserName: this.username,
    }));
  }

  private reply(res: ServerResponse, status: number, body: unknown, text = JSON.stringify(body)): void {
    if (res.destroyed) return;
    const link = status === 200 ? describedBy(body) : undefined;
    if (link !== undefined) res.setHeader("Link", link);
    res.writeHead(status, {
      "Content-Type": "application/json; charset=utf-8",
      "OData-Version": "4.0",
      "Content-Length": Buffer.byteLength(text),
    });
    res.end(text);
  }
}

/** Waits `ms`, or less if the client goes away first (so a closed simulator leaves no timers behind). */
function pause(ms: number, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      res.off("close", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    res.once("close", done);
  });
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** Starts one simulated BMC. */
export async function startSimulatedBmc(options: SimulatedBmcOptions = {}): Promise<SimulatedBmc> {
  return new SimulatedBmc(options).start();
}
