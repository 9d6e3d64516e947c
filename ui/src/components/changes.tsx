/**
 * Property values as the API carries them: a plan's Current -> Desired and a
 * run's Before -> After, per manager and property path. A value the manager
 * did not show is null on the wire and "—" here.
 */
import type { Snapshot } from "../api/types.js";

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** Manager and path, the manager left out when it is the usual one-manager case's only name. */
export function PropertyName(props: { manager?: string | undefined; path: string; showManager?: boolean }) {
  return (
    <span class="mono property" title={props.manager ? `manager ${props.manager}` : undefined}>
      {props.showManager && props.manager ? `${props.manager}: ` : ""}
      {props.path}
    </span>
  );
}

export function FromTo(props: { from: unknown; to: unknown }) {
  return (
    <span class="from-to">
      <span class="from">{formatValue(props.from)}</span>
      <span aria-hidden="true"> → </span>
      <span class="sr-only"> to </span>
      <span class="to">{formatValue(props.to)}</span>
    </span>
  );
}

interface SnapshotRow {
  manager: string;
  path: string;
  before: unknown;
  after: unknown;
}

function snapshotRows(before: Snapshot | null | undefined, after: Snapshot | null | undefined): SnapshotRow[] {
  const rows: SnapshotRow[] = [];
  const managers = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  for (const manager of managers) {
    const b = before?.[manager] ?? {};
    const a = after?.[manager] ?? {};
    for (const path of new Set([...Object.keys(b), ...Object.keys(a)])) rows.push({ manager, path, before: b[path], after: a[path] });
  }
  return rows;
}

/** A machine's Before -> After in a run, one line per property the action set. */
export function SnapshotChanges(props: { before: Snapshot | null | undefined; after: Snapshot | null | undefined; changed?: boolean | undefined }) {
  const rows = snapshotRows(props.before, props.after);
  if (rows.length === 0) return null;
  const managers = new Set(rows.map((r) => r.manager));
  return (
    <ul class="changes">
      {rows.map((r) => (
        <li key={`${r.manager}/${r.path}`}>
          <PropertyName manager={r.manager} path={r.path} showManager={managers.size > 1} /> <FromTo from={r.before} to={r.after} />
        </li>
      ))}
      {props.changed === false ? <li class="muted small">already as desired, nothing sent</li> : null}
    </ul>
  );
}
