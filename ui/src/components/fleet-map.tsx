/** One cell per machine, coloured by its last result, each a link to the machine's page. */
import type { Machine } from "../api/types.js";
import { href } from "../router.js";

export type LastResult = { status: "ok" | "failed" | "running" | "none"; at?: string; message?: string };

const LABEL = { ok: "last run succeeded", failed: "last run failed", running: "running now", none: "no run yet" };

export function FleetMap(props: { machines: Machine[]; last: Map<string, LastResult> }) {
  return (
    <div>
      <ul class="fleet-map" aria-label="Fleet map">
        {[...props.machines].sort((a, b) => a.Id.localeCompare(b.Id, undefined, { numeric: true })).map((m) => {
          const r = props.last.get(m.Id) ?? { status: "none" as const };
          return (
            <li key={m.Id}>
              <a class={`cell cell-${r.status}`} href={href.machine(m.Id)} title={`${m.Id}: ${LABEL[r.status]}${r.message ? ` — ${r.message}` : ""}`} aria-label={`${m.Id}, ${LABEL[r.status]}`}>
                <span class="cell-name">{m.Id}</span>
              </a>
            </li>
          );
        })}
      </ul>
      <p class="legend">
        <span class="key key-ok">succeeded</span>
        <span class="key key-failed">failed</span>
        <span class="key key-running">running</span>
        <span class="key key-none">no run yet</span>
      </p>
    </div>
  );
}
