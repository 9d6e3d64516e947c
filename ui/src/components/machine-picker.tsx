/** Chooses a job's machines: a filter box over a checkbox list, with select-all of what the filter shows. */
import { useState } from "preact/hooks";
import type { Machine } from "../api/types.js";

export function MachinePicker(props: { machines: Machine[]; selected: string[]; onChange: (ids: string[]) => void }) {
  const [filter, setFilter] = useState("");
  const { machines, selected, onChange } = props;
  const f = filter.trim().toLowerCase();
  const sorted = [...machines].sort((a, b) => a.Id.localeCompare(b.Id, undefined, { numeric: true }));
  const shown = f === "" ? sorted : sorted.filter((m) => [m.Id, m.Name ?? "", m.Endpoint, m.Type].some((s) => s.toLowerCase().includes(f)));
  const chosen = new Set(selected);
  // Machines the job names that are no longer registered stay listed, so the operator sees and can drop them.
  const missing = selected.filter((id) => !machines.some((m) => m.Id === id));
  const set = (ids: Iterable<string>) => onChange([...new Set(ids)]);
  return (
    <fieldset class="machine-picker">
      <legend>
        Machines <span class="muted">({selected.length} of {machines.length} chosen)</span>
      </legend>
      <div class="row">
        <label class="grow">
          <span class="sr-only">Filter machines</span>
          <input type="search" placeholder="Filter by id, name, endpoint or type" value={filter} onInput={(e) => setFilter(e.currentTarget.value)} />
        </label>
        <button type="button" onClick={() => set([...selected, ...shown.map((m) => m.Id)])}>
          Select {f ? "shown" : "all"}
        </button>
        <button type="button" onClick={() => set(selected.filter((id) => !shown.some((m) => m.Id === id)))}>
          Clear {f ? "shown" : "all"}
        </button>
      </div>
      <ul class="pick-list">
        {shown.map((m) => (
          <li key={m.Id}>
            <label>
              <input type="checkbox" checked={chosen.has(m.Id)} onChange={() => set(chosen.has(m.Id) ? selected.filter((id) => id !== m.Id) : [...selected, m.Id])} />
              <span class="mono">{m.Id}</span>
              <span class="muted">
                {m.Name && m.Name !== m.Id ? `${m.Name} · ` : ""}
                {m.Type}
              </span>
            </label>
          </li>
        ))}
        {missing.map((id) => (
          <li key={id}>
            <label>
              <input type="checkbox" checked onChange={() => set(selected.filter((s) => s !== id))} />
              <span class="mono">{id}</span>
              <span class="badge badge-failed">not registered</span>
            </label>
          </li>
        ))}
        {shown.length === 0 && missing.length === 0 ? <li class="muted">No machine matches.</li> : null}
      </ul>
    </fieldset>
  );
}
