/**
 * The open Server-Sent Event streams. Each event is serialised once and
 * queued for every stream whose filter takes it; what a stream got during one
 * turn of the event loop goes out in one write (a run whose machines fail by
 * the hundred would otherwise cost a socket write per event per stream, on
 * the scheduler's own turn). A stream is never waited for: one that falls too
 * far behind (its socket buffer over the cap) is closed, and its client can
 * resume with Last-Event-ID.
 */
import type { ServerResponse } from "node:http";
import type { EventHub } from "./event-hub.js";
import type { EventPredicate } from "./event-filter.js";
import { redfishEvent, type ShoalEvent } from "./event-record.js";

export interface SseOptions {
  /** A comment line this often keeps proxies from closing an idle stream; default 15 s. */
  keepAliveMs?: number;
  /** Bytes a stream may have unsent before it is dropped; default 4 MiB. */
  maxBufferedBytes?: number;
}

interface Stream {
  res: ServerResponse;
  accepts: EventPredicate;
  /** Run-log lines (MachineLog) are many: only a stream whose filter names them gets them. */
  wantsLog: boolean;
  /** Frames queued this turn, written together by flush(). */
  queued: string[];
}

function frame(event: ShoalEvent): string {
  return `id: ${event.id}\ndata: ${JSON.stringify(redfishEvent(event))}\n\n`;
}

export class SseStreams {
  private readonly streams = new Set<Stream>();
  private readonly keepAlive: NodeJS.Timeout;
  private readonly maxBuffered: number;
  private readonly unsubscribe: () => void;
  private flushing: NodeJS.Immediate | null = null;

  constructor(
    private readonly hub: EventHub,
    options: SseOptions = {},
  ) {
    this.maxBuffered = options.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.keepAlive = setInterval(() => {
      this.flush();
      for (const s of this.streams) this.write(s, ": keep-alive\n\n");
    }, options.keepAliveMs ?? 15_000);
    this.keepAlive.unref();
    this.unsubscribe = hub.subscribe((event) => this.broadcast(event));
  }

  get count(): number {
    return this.streams.size;
  }

  /** Streams that asked for run-log lines. */
  get logReaders(): number {
    let n = 0;
    for (const s of this.streams) if (s.wantsLog) n++;
    return n;
  }

  /** Takes over a response: headers now, buffered events after `lastEventId`, then live ones. */
  open(res: ServerResponse, accepts: EventPredicate, lastEventId: string | undefined, wantsLog = false): void {
    res.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    });
    res.socket?.setTimeout(0);
    res.socket?.setNoDelay(true);
    const stream: Stream = { res, accepts, wantsLog, queued: [] };
    this.streams.add(stream);
    res.once("close", () => this.streams.delete(stream));
    // Tells the client how long to wait before reconnecting, and flushes the headers; the replay follows in the same write.
    let text = "retry: 2000\n\n";
    if (lastEventId !== undefined) {
      for (const event of this.hub.since(lastEventId)) if (accepts(event)) text += frame(event);
    }
    this.write(stream, text);
  }

  /** Ends every stream (the gateway is closing). */
  close(): void {
    this.unsubscribe();
    clearInterval(this.keepAlive);
    this.flush();
    for (const s of this.streams) s.res.end();
    this.streams.clear();
  }

  private broadcast(event: ShoalEvent): void {
    let text: string | undefined;
    for (const s of this.streams) {
      if (!s.accepts(event) || (event.key === "MachineLog" && !s.wantsLog)) continue;
      text ??= frame(event);
      s.queued.push(text);
      this.flushing ??= setImmediate(() => this.flush());
    }
  }

  /** Writes each stream's queued frames, oldest first, in one write. */
  private flush(): void {
    if (this.flushing) clearImmediate(this.flushing);
    this.flushing = null;
    for (const s of this.streams) {
      if (s.queued.length === 0) continue;
      const text = s.queued.join("");
      s.queued = [];
      this.write(s, text);
    }
  }

  private write(s: Stream, text: string): void {
    if (s.res.writableEnded || s.res.destroyed) {
      this.streams.delete(s);
      return;
    }
    s.res.write(text);
    if (s.res.writableLength > this.maxBuffered) {
      this.streams.delete(s);
      s.res.destroy();
    }
  }
}
