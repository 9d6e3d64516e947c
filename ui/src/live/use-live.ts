import { useEffect, useRef, useState } from "preact/hooks";
import { live } from "./source.js";

export interface LiveState<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
}

/**
 * Data for a view that stays current: loaded at once and again whenever the
 * live source says so. A failed reload keeps the last good data and shows
 * the error beside it.
 */
export function useLive<T>(key: string | null, loader: () => Promise<T>, intervalMs?: number): LiveState<T> {
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
      intervalMs !== undefined ? { intervalMs } : {},
    );
    return () => {
      alive = false;
      stop();
    };
  }, [key, intervalMs]);
  return state;
}
