/** Says how a view stays current: pushed by the gateway's event stream, or polled while the stream is down. */
import { useStreamStatus } from "../live/use-live.js";

export function LiveStatus(props: { pollSeconds: number }) {
  const status = useStreamStatus();
  const open = status === "open";
  return (
    <span class={`live-status ${open ? "live-open" : "live-polling"}`} data-testid="live-status" data-stream={status}>
      <span class="live-dot" aria-hidden="true" />
      {open ? "Live: event stream" : `Live: polling every ${props.pollSeconds} s${status === "connecting" ? " (connecting to the event stream)" : " (event stream unavailable)"}`}
    </span>
  );
}
