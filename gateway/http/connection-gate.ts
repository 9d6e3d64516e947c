/**
 * What one client connection may hold of the gateway's memory and time.
 *
 * HTTP/1.1 answers a connection's requests in the order they came, so a client
 * that pipelines requests and never reads the answers makes every answer pile
 * up in memory: Node parses a whole socket read (a thousand small GETs) before
 * any handler runs, and each handler renders its answer, however large.
 *
 * The gate sits between Node and the app, per connection:
 * - one request is handled at a time, and the next starts only once the
 *   client has taken the previous answer's bytes (the socket drained), so a
 *   connection holds at most one answer it has not read;
 * - a connection with `maxPipelined` requests unanswered has the next one
 *   refused with a small 503 and `Connection: close`; a client that sends
 *   anything after that is disconnected at once;
 * - a client that takes none of an answer's bytes for `sendTimeoutMs` is
 *   disconnected, which frees what it held.
 *
 * Pausing the socket would not stop the reading: Node's HTTP parser reads the
 * socket's handle directly, below the stream that `pause()` governs. The cap is
 * what bounds a connection that keeps sending: it holds at most `maxPipelined`
 * parsed requests and one answer.
 *
 * Serving a connection's requests one after another costs a well-behaved
 * client nothing: its answers could not have been sent any sooner.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { Duplex } from "node:stream";
import { RedfishError, toErrorResponse } from "../redfish/errors.js";

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface ConnectionGateOptions {
  maxPipelined: number;
  sendTimeoutMs: number;
  /** Told when a connection is capped or cut off for not reading; for the counters and the log. */
  onEvent?: (event: GateEvent) => void;
}

export type GateEvent =
  | { kind: "pipelineCapped"; remote: string; unanswered: number }
  | { kind: "sendTimeout"; remote: string; bufferedBytes: number };

interface Waiting {
  req: IncomingMessage;
  res: ServerResponse;
}

interface Connection {
  socket: Socket;
  waiting: Waiting[];
  /** The request being handled (or whose answer is still being taken); at most one. */
  running: boolean;
  /** Its answer, while it is being written. */
  current: ServerResponse | undefined;
  /** Set once the 503 that closes the connection is queued: nothing after it is handled. */
  capped: boolean;
  /** Watching for the client to take buffered bytes. */
  watch: NodeJS.Timeout | undefined;
}

/** The 503 a capped connection gets: small and fixed, so refusing costs next to nothing. */
function tooManyPipelined(maxPipelined: number): { status: number; body: string; headers: Record<string, string> } {
  const response = toErrorResponse(
    new RedfishError(503, [
      {
        key: "ServiceTemporarilyUnavailable",
        args: ["1"],
        resolution: `Read the answers before sending more: a connection may have at most ${maxPipelined} requests unanswered. This connection is closed after this answer.`,
      },
    ]),
  );
  return { status: response.status, body: JSON.stringify(response.body), headers: { ...response.headers, "Retry-After": "1" } };
}

function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? "?"}:${socket.remotePort ?? "?"}`;
}

export class ConnectionGate {
  private readonly connections = new WeakMap<Socket, Connection>();
  private readonly refusal: ReturnType<typeof tooManyPipelined>;

  constructor(
    private readonly handler: RequestHandler,
    private readonly options: ConnectionGateOptions,
  ) {
    this.refusal = tooManyPipelined(options.maxPipelined);
  }

  /** The function to give `http.createServer`. */
  readonly handle: RequestHandler = (req, res) => {
    const connection = this.connectionOf(req.socket);
    // Still sending after the 503 that closes the connection: nothing it sends will ever be read.
    if (connection.capped) {
      req.socket.destroy();
      return;
    }
    const unanswered = connection.waiting.length + (connection.running ? 1 : 0);
    if (unanswered >= this.options.maxPipelined) {
      this.cap(connection, res, unanswered);
      return;
    }
    connection.waiting.push({ req, res });
    this.pump(connection);
  };

  /** Whether an answer has begun on this connection (then nothing else may be written to it). */
  answerStarted(socket: Duplex): boolean {
    return this.connections.get(socket as Socket)?.current?.headersSent ?? false;
  }

  private connectionOf(socket: Socket): Connection {
    let connection = this.connections.get(socket);
    if (!connection) {
      const created: Connection = { socket, waiting: [], running: false, current: undefined, capped: false, watch: undefined };
      socket.once("close", () => {
        created.waiting.length = 0;
        this.stopWatching(created);
      });
      this.connections.set(socket, created);
      connection = created;
    }
    return connection;
  }

  private cap(connection: Connection, res: ServerResponse, unanswered: number): void {
    connection.capped = true;
    this.options.onEvent?.({ kind: "pipelineCapped", remote: remoteOf(connection.socket), unanswered });
    res.shouldKeepAlive = false;
    res.writeHead(this.refusal.status, {
      ...this.refusal.headers,
      "Content-Type": "application/json; charset=utf-8",
      "OData-Version": "4.0",
      "Content-Length": Buffer.byteLength(this.refusal.body),
      Connection: "close",
    });
    // Its bytes go out after the answers before it; a client that reads none of those is cut off by their send watch.
    res.end(this.refusal.body);
  }

  /** Starts the next request if the previous answer is done and taken by the client. */
  private pump(connection: Connection): void {
    const { socket } = connection;
    if (connection.running || socket.destroyed) return;
    const next = connection.waiting.shift();
    if (!next) return;
    connection.running = true;
    connection.current = next.res;
    this.watchSending(connection);
    let finished = false;
    const done = (): void => {
      if (finished) return;
      finished = true;
      connection.current = undefined;
      this.afterAnswer(connection);
    };
    next.res.once("finish", done);
    next.res.once("close", done);
    this.handler(next.req, next.res);
  }

  /** The answer is handed to the socket: wait for the client to take it before starting the next one. */
  private afterAnswer(connection: Connection): void {
    const { socket } = connection;
    if (socket.destroyed) return;
    if (!socket.writableNeedDrain) {
      connection.running = false;
      this.stopWatching(connection);
      this.pump(connection);
      return;
    }
    socket.once("drain", () => {
      connection.running = false;
      this.pump(connection);
    });
  }

  /**
   * While a request is handled or its answer sent: disconnects a client that
   * takes none of the buffered bytes for `sendTimeoutMs` (seen at two checks
   * in a row), which frees what it held. A client that reads slowly but
   * steadily, or waits for a slow handler (nothing buffered), is left alone.
   */
  private watchSending(connection: Connection): void {
    if (connection.watch) return;
    const { socket } = connection;
    let last = Number.POSITIVE_INFINITY;
    const check = (): void => {
      connection.watch = undefined;
      if (socket.destroyed || !connection.running) return;
      const buffered = socket.writableLength;
      if (buffered > 0 && buffered >= last) {
        this.options.onEvent?.({ kind: "sendTimeout", remote: remoteOf(socket), bufferedBytes: buffered });
        socket.destroy();
        return;
      }
      last = buffered > 0 ? buffered : Number.POSITIVE_INFINITY;
      connection.watch = setTimeout(check, this.options.sendTimeoutMs).unref();
    };
    connection.watch = setTimeout(check, this.options.sendTimeoutMs).unref();
  }

  private stopWatching(connection: Connection): void {
    if (connection.watch) clearTimeout(connection.watch);
    connection.watch = undefined;
  }
}
