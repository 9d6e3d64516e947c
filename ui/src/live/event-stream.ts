/**
 * The gateway's Server-Sent Event stream (/redfish/v1/EventService/SSE), read
 * with fetch rather than EventSource so it can carry the Authorization header
 * (EventSource cannot, and credentials never go in a URL). Each Redfish event
 * is handed on as the resource it is about (OriginOfCondition). When the
 * stream fails or goes quiet past the gateway's keep-alive, it is dropped and
 * tried again later with Last-Event-ID, so the gateway replays what was missed.
 */
import { authorizationHeader } from "../api/credentials.js";

export const SSE_PATH = "/redfish/v1/EventService/SSE";

export type StreamStatus = "connecting" | "open" | "down";

export interface StreamEvent {
  id: string | undefined;
  /** `@odata.id` of the resource each event record is about. */
  origins: string[];
}

/** The gateway sends a keep-alive comment every 15 s; silence for this long means the stream is dead. */
const SILENCE_MS = 40_000;
const FIRST_RETRY_MS = 2000;
const MAX_RETRY_MS = 15_000;

function originsOf(data: string): string[] {
  try {
    const body = JSON.parse(data) as { Events?: { OriginOfCondition?: { "@odata.id"?: unknown } }[] };
    return (body.Events ?? []).map((e) => e.OriginOfCondition?.["@odata.id"]).filter((o): o is string => typeof o === "string");
  } catch {
    return [];
  }
}

export class EventStream {
  private status: StreamStatus = "down";
  private lastEventId: string | undefined;
  private retryMs = FIRST_RETRY_MS;
  private serverRetryMs = FIRST_RETRY_MS;
  private started = false;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly onEvent: (event: StreamEvent) => void,
    private readonly onStatus: (status: StreamStatus) => void,
  ) {}

  get current(): StreamStatus {
    return this.status;
  }

  /** Opens the stream once; it then keeps itself open for the page's life. */
  start(): void {
    if (this.started) return;
    this.started = true;
    void this.connect();
  }

  /** Tries again at once if the stream is down (after a log-in, for instance). */
  retryNow(): void {
    if (!this.started || this.status !== "down") return;
    clearTimeout(this.retryTimer);
    void this.connect();
  }

  private setStatus(status: StreamStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.onStatus(status);
  }

  private async connect(): Promise<void> {
    this.setStatus("connecting");
    const abort = new AbortController();
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const heard = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => abort.abort(), SILENCE_MS);
    };
    try {
      const headers: Record<string, string> = { Accept: "text/event-stream" };
      const authorization = authorizationHeader();
      if (authorization) headers.Authorization = authorization;
      if (this.lastEventId !== undefined) headers["Last-Event-ID"] = this.lastEventId;
      heard();
      const response = await fetch(SSE_PATH, { headers, credentials: "omit", cache: "no-store", signal: abort.signal });
      if (!response.ok || !response.body || !(response.headers.get("Content-Type") ?? "").startsWith("text/event-stream")) {
        throw new Error(`event stream: HTTP ${response.status}`);
      }
      this.retryMs = FIRST_RETRY_MS;
      this.setStatus("open");
      await this.read(response.body, heard);
    } catch {
      // Refused, dropped or gone quiet: the views fall back to polling until the stream is back.
    } finally {
      clearTimeout(watchdog);
      abort.abort();
    }
    this.setStatus("down");
    this.retryTimer = setTimeout(() => void this.connect(), Math.max(this.retryMs, this.serverRetryMs));
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
  }

  private async read(body: ReadableStream<Uint8Array>, heard: () => void): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      heard();
      buffer += decoder.decode(value, { stream: true });
      const frames = buffer.split(/\r?\n\r?\n/);
      buffer = frames.pop() ?? "";
      for (const frame of frames) this.dispatch(frame);
    }
  }

  /** One SSE frame: `id:`, `data:` (possibly several lines), `retry:`; comment lines start with a colon. */
  private dispatch(frame: string): void {
    let id: string | undefined;
    const data: string[] = [];
    for (const line of frame.split(/\r?\n/)) {
      const colon = line.indexOf(":");
      if (colon === 0) continue;
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
      if (field === "id") id = value;
      else if (field === "data") data.push(value);
      else if (field === "retry" && /^\d+$/.test(value)) this.serverRetryMs = Number(value);
    }
    if (id !== undefined) this.lastEventId = id;
    if (data.length > 0) this.onEvent({ id, origins: originsOf(data.join("\n")) });
  }
}
