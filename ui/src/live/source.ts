/**
 * Where live data comes from. Views ask for a key ("jobs", "job:ID",
 * "executions:ID"...) with a loader; the source decides when to load again.
 * Today that is polling; an event-stream source can implement the same
 * interface by reloading a key when an event names it, and no view changes.
 */
export interface LiveSource {
  /** Calls `load` now and again whenever the data may have changed; returns the stop function. */
  watch(key: string, load: () => Promise<void>, options?: { intervalMs?: number }): () => void;
  /** Reload every watcher of keys starting with `prefix` now (after the console itself changed something). */
  refresh(prefix?: string): void;
}

interface Watcher {
  key: string;
  load: () => Promise<void>;
  intervalMs: number;
  timer: ReturnType<typeof setTimeout> | undefined;
  busy: boolean;
  again: boolean;
  stopped: boolean;
}

/** Polls each watcher on its own interval, never two loads of one watcher at once, slower while the tab is hidden. */
export class PollingSource implements LiveSource {
  private readonly watchers = new Set<Watcher>();

  constructor(private readonly defaultIntervalMs = 3000) {
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible") this.refresh();
    });
  }

  watch(key: string, load: () => Promise<void>, options: { intervalMs?: number } = {}): () => void {
    const w: Watcher = { key, load, intervalMs: options.intervalMs ?? this.defaultIntervalMs, timer: undefined, busy: false, again: false, stopped: false };
    this.watchers.add(w);
    void this.run(w);
    return () => {
      w.stopped = true;
      clearTimeout(w.timer);
      this.watchers.delete(w);
    };
  }

  refresh(prefix = ""): void {
    for (const w of this.watchers) if (w.key.startsWith(prefix)) void this.run(w);
  }

  private async run(w: Watcher): Promise<void> {
    if (w.stopped) return;
    if (w.busy) {
      w.again = true;
      return;
    }
    clearTimeout(w.timer);
    w.busy = true;
    try {
      await w.load();
    } catch {
      // The loader reports its own errors to its view; polling carries on.
    } finally {
      w.busy = false;
    }
    if (w.stopped) return;
    if (w.again) {
      w.again = false;
      void this.run(w);
      return;
    }
    const hidden = document.visibilityState === "hidden";
    w.timer = setTimeout(() => void this.run(w), hidden ? w.intervalMs * 10 : w.intervalMs);
  }
}

export const live: LiveSource = new PollingSource();
