/**
 * Where live data comes from. Views ask for a key ("jobs", "job:ID",
 * "run:...") with a loader; the source decides when to load again. A view
 * that names the resources it shows (`origins`, API paths) is reloaded when
 * the gateway's event stream says one of them (or anything under it)
 * changed, and is not polled while the stream is open; when the stream is
 * down it is polled like every other view until the stream is back, and
 * reloaded once then, to catch up.
 */
import { EventStream, type StreamEvent, type StreamStatus } from "./event-stream.js";

export interface WatchOptions {
  intervalMs?: number;
  /** API paths the view shows; an event about one of them, or a resource under it, reloads the view. */
  origins?: string[];
}

export interface LiveSource {
  /** Calls `load` now and again whenever the data may have changed; returns the stop function. */
  watch(key: string, load: () => Promise<void>, options?: WatchOptions): () => void;
  /** Reload every watcher of keys starting with `prefix` now (after the console itself changed something). */
  refresh(prefix?: string): void;
  /** The event stream's state, and a way to hear of its changes (returns the unsubscribe function). */
  readonly streamStatus: StreamStatus;
  onStreamStatus(listener: (status: StreamStatus) => void): () => void;
}

interface Watcher {
  key: string;
  load: () => Promise<void>;
  intervalMs: number;
  origins: string[];
  timer: ReturnType<typeof setTimeout> | undefined;
  busy: boolean;
  again: boolean;
  stopped: boolean;
}

/** Events come in bursts (a machine failed, then progress): one reload for each burst. */
const EVENT_COALESCE_MS = 150;

export class StreamingSource implements LiveSource {
  private readonly watchers = new Set<Watcher>();
  private readonly statusListeners = new Set<(status: StreamStatus) => void>();
  private readonly stream: EventStream;

  constructor(private readonly defaultIntervalMs = 3000) {
    this.stream = new EventStream(
      (event) => this.onEvent(event),
      (status) => this.onStatus(status),
    );
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.refresh();
    });
  }

  get streamStatus(): StreamStatus {
    return this.stream.current;
  }

  onStreamStatus(listener: (status: StreamStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  watch(key: string, load: () => Promise<void>, options: WatchOptions = {}): () => void {
    const w: Watcher = { key, load, intervalMs: options.intervalMs ?? this.defaultIntervalMs, origins: options.origins ?? [], timer: undefined, busy: false, again: false, stopped: false };
    this.watchers.add(w);
    if (w.origins.length > 0) this.stream.start();
    void this.run(w);
    return () => {
      w.stopped = true;
      clearTimeout(w.timer);
      this.watchers.delete(w);
    };
  }

  refresh(prefix = ""): void {
    this.stream.retryNow();
    for (const w of this.watchers) if (w.key.startsWith(prefix)) void this.run(w);
  }

  /** Whether the watcher is kept current by events now, rather than by its timer. */
  private byEvents(w: Watcher): boolean {
    return w.origins.length > 0 && this.stream.current === "open";
  }

  private onEvent(event: StreamEvent): void {
    for (const w of this.watchers) {
      if (!event.origins.some((o) => w.origins.some((mine) => o === mine || o.startsWith(`${mine}/`)))) continue;
      if (w.busy) w.again = true;
      else if (w.timer === undefined) w.timer = setTimeout(() => void this.run(w), EVENT_COALESCE_MS);
    }
  }

  private onStatus(status: StreamStatus): void {
    for (const w of this.watchers) {
      if (w.origins.length === 0) continue;
      // Open: stop polling and reload once for what happened while down. Down: poll again.
      if (status === "open" || (status === "down" && w.timer === undefined && !w.busy)) void this.run(w);
    }
    for (const l of this.statusListeners) l(status);
  }

  private async run(w: Watcher): Promise<void> {
    if (w.stopped) return;
    if (w.busy) {
      w.again = true;
      return;
    }
    clearTimeout(w.timer);
    w.timer = undefined;
    w.busy = true;
    try {
      await w.load();
    } catch {
      // The loader reports its own errors to its view; the source carries on.
    } finally {
      w.busy = false;
    }
    if (w.stopped) return;
    if (w.again) {
      w.again = false;
      void this.run(w);
      return;
    }
    if (this.byEvents(w)) return;
    const hidden = document.visibilityState === "hidden";
    w.timer = setTimeout(() => void this.run(w), hidden ? w.intervalMs * 10 : w.intervalMs);
  }
}

export const live: LiveSource = new StreamingSource();
