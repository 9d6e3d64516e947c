import { useEffect, useRef, useState } from "preact/hooks";
import type { StreamStatus } from "./event-stream.js";
import { live } from "./source.js";

export interface LiveState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

/**
 * Data for a view that stays current: loaded at once and again whenever the
 * live source says so. A failed reload keeps the last good data and shows
 * the error beside it. `origins` (API paths the view shows) let the event
 * stream, while it is open, take the place of polling.
 */
export function useLive<T>(key: string | null, loader: () => Promise<T>, intervalMs?: number, origins?: string[]): LiveState<T> {
  const [state, setState] = useState<LiveState<T>>({ data: undefined, error: undefined, loading: key !== null });
  const loaderRef = useRef(loader);
  loaderRef.current = loader;
  useEffect(() => {
    if (key === null) return undefined;
    let alive = true;
    setState({ data: undefined, error: undefined, loading: true });
    const stop = live.watch(
      key,
      async () => {
        try {
          const data = await loaderRef.current();
          if (alive) setState({ data, error: undefined, loading: false });
        } catch (error) {
          if (alive) setState((s) => ({ data: s.data, error, loading: false }));
          throw error;
        }
      },
      { ...(intervalMs !== undefined ? { intervalMs } : {}), ...(origins ? { origins } : {}) },
    );
    return () => {
      alive = false;
      stop();
    };
    // Origins follow from the key (a view's paths are named by what it shows), so the key is their identity.
  }, [key, intervalMs]);
  return state;
}

/** The event stream's state, for a view that says how it stays current. */
export function useStreamStatus(): StreamStatus {
  const [status, setStatus] = useState(live.streamStatus);
  useEffect(() => {
    setStatus(live.streamStatus);
    return live.onStreamStatus(setStatus);
  }, []);
  return status;
}
