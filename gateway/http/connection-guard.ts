/**
 * The HTTP server's limits on its clients, in one place: how many connections,
 * how long a request may take to arrive, how many requests a connection may
 * leave unanswered (connection-gate.ts), and what happens to a connection that
 * breaks HTTP (a parse error, a request cut off by a timeout).
 *
 * A broken client connection is the client's problem, not ours: anyone can
 * open thousands, so each one is counted and logged at debug, never as an
 * error with a stack. The first of each kind is logged at info so an operator
 * learns that it happens; the counts are in every such line, in `stats`, and
 * in the line the gateway logs when it closes.
 */
import type { Server, ServerOptions } from "node:http";
import type { Duplex } from "node:stream";
import type { ConnectionLimits } from "../config.js";
import type { Logger } from "../log.js";
import { ConnectionGate, type GateEvent, type RequestHandler } from "./connection-gate.js";

export interface ConnectionStats {
  /** Connections that broke HTTP: unparsable requests, requests that did not arrive in time, resets mid-request. */
  clientErrors: number;
  /** Connections refused a request for having too many unanswered (MAX_PIPELINED_REQUESTS). */
  pipelineCapped: number;
  /** Connections closed because their client took none of an answer's bytes for SEND_TIMEOUT. */
  sendTimeouts: number;
  /** Connections closed on arrival because MAX_CONNECTIONS were open. */
  connectionsDropped: number;
}

type StatName = keyof ConnectionStats;

/** Error codes that mean the client sent something that is not HTTP, or went away mid-request. */
const CLIENT_FAULT_CODES = new Set(["ERR_HTTP_REQUEST_TIMEOUT", "ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE"]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** Whether an error is a client's broken connection (Node's HTTP parser codes start with HPE_). */
export function isClientFault(error: unknown): boolean {
  const code = codeOf(error);
  if (code !== undefined && (code.startsWith("HPE_") || CLIENT_FAULT_CODES.has(code))) return true;
  return error instanceof Error && error.message === "aborted";
}

/** A well-formed request line whose method Node's parser does not know ("FOO /x HTTP/1.1"). */
function unknownMethod(error: Error): boolean {
  const raw = (error as Error & { rawPacket?: unknown }).rawPacket;
  return codeOf(error) === "HPE_INVALID_METHOD" && Buffer.isBuffer(raw) && /^[A-Z][A-Z-]{0,31} \S+ HTTP\/1\.[01]\r?\n/.test(raw.toString("latin1"));
}

/** What Node itself answers a broken request with, before closing the connection; an unknown method is 501 (DSP0266). */
function rawAnswer(code: string | undefined, notImplemented = false): string {
  let status = "400 Bad Request";
  if (notImplemented) status = "501 Not Implemented";
  else if (code === "ERR_HTTP_REQUEST_TIMEOUT") status = "408 Request Timeout";
  else if (code === "HPE_HEADER_OVERFLOW") status = "431 Request Header Fields Too Large";
  return `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`;
}

export class ConnectionGuard {
  readonly stats: ConnectionStats = { clientErrors: 0, pipelineCapped: 0, sendTimeouts: 0, connectionsDropped: 0 };
  /** A broken connection can be reported twice (clientError, then the app's error event): counted once. */
  private readonly counted = new WeakSet<object>();
  private gate: ConnectionGate | undefined;

  constructor(
    private readonly limits: ConnectionLimits,
    private readonly log: Logger,
  ) {}

  /** Options for `http.createServer`: requests that arrive slowly are cut off long before Node's 300 s. */
  serverOptions(): ServerOptions {
    return {
      headersTimeout: this.limits.headersTimeoutSeconds * 1000,
      requestTimeout: this.limits.requestTimeoutSeconds * 1000,
      // Node checks those timeouts on this interval (30 s by default, which would double a 30 s limit).
      connectionsCheckingInterval: Math.min(1000, this.limits.headersTimeoutSeconds * 500),
    };
  }

  /** The app's request handler behind the per-connection gate. */
  wrap(handler: RequestHandler): RequestHandler {
    this.gate = new ConnectionGate(handler, {
      maxPipelined: this.limits.maxPipelinedRequests,
      sendTimeoutMs: this.limits.sendTimeoutSeconds * 1000,
      onEvent: (event) => this.onGateEvent(event),
    });
    return this.gate.handle;
  }

  /** Sets the connection cap and takes over Node's handling of broken connections. */
  attach(server: Server): void {
    server.maxConnections = this.limits.maxConnections;
    server.on("drop", (data?: { remoteAddress?: string; remotePort?: number }) => {
      this.bump("connectionsDropped", "a connection was closed on arrival: MAX_CONNECTIONS are open", {
        remote: `${data?.remoteAddress ?? "?"}:${data?.remotePort ?? "?"}`,
        maxConnections: this.limits.maxConnections,
      });
    });
    server.on("clientError", (error: Error, socket: Duplex) => {
      this.clientFault(error);
      if (socket.writable && !this.gate?.answerStarted(socket)) socket.write(rawAnswer(codeOf(error), unknownMethod(error)));
      socket.destroy();
    });
  }

  /**
   * Counts and logs (at debug) an error that is a client's broken connection,
   * and says whether it was one; anything else is left to the caller.
   */
  clientFault(error: unknown): boolean {
    if (!isClientFault(error)) return false;
    if (typeof error === "object" && error !== null) {
      if (this.counted.has(error)) return true;
      this.counted.add(error);
    }
    this.bump("clientErrors", "a client connection broke HTTP and was closed", {
      code: codeOf(error) ?? "aborted",
      reason: error instanceof Error ? error.message : String(error),
    });
    return true;
  }

  /** One line with the counts, when there is anything to tell. */
  logSummary(): void {
    if (Object.values(this.stats).some((n) => n > 0)) this.log.info("client connections refused or closed", { ...this.stats });
  }

  private onGateEvent(event: GateEvent): void {
    if (event.kind === "pipelineCapped") {
      this.bump("pipelineCapped", "a connection sent more requests than MAX_PIPELINED_REQUESTS without reading the answers; it is closed", {
        remote: event.remote,
        unanswered: event.unanswered,
      });
    } else {
      this.bump("sendTimeouts", "a client took none of its answer for SEND_TIMEOUT; the connection is closed", {
        remote: event.remote,
        bufferedBytes: event.bufferedBytes,
      });
    }
  }

  private bump(name: StatName, msg: string, fields: Record<string, unknown>): void {
    this.stats[name] += 1;
    const line = { ...fields, ...this.stats };
    if (this.stats[name] === 1) this.log.info(`${msg} (first time; further ones are logged at debug)`, line);
    else this.log.debug(msg, line);
  }
}
