/**
 * A run's machines: the failures first, each opening to the BMC's own
 * message, and the table of every machine with its status, what it changed
 * (Before -> After, as the gateway read them around the PATCH), its message
 * and result file.
 */
import type { Execution, MachineResult } from "../api/types.js";
import { durationMs, formatDuration } from "../format.js";
import { href } from "../router.js";
import { SnapshotChanges } from "./changes.js";
import { StatusBadge } from "./common.js";

export interface Row extends MachineResult {
  step: string;
}

const ORDER: Record<string, number> = { Error: 0, Unknown: 1, Cancelled: 2, Running: 3, Pending: 4, Skipped: 5, Success: 6 };
export const DONE = ["Success", "Error", "Cancelled", "Skipped", "Unknown"];

/** Every (step, machine) of the run, failures first, then by machine name. */
export function rowsOf(run: Execution): Row[] {
  const rows: Row[] = (run.Steps ?? []).flatMap((s, i) => (s.Machines ?? []).map((m) => ({ ...m, step: s.Name ?? `Step ${i + 1}` })));
  return rows.sort((a, b) => (ORDER[a.Status] ?? 9) - (ORDER[b.Status] ?? 9) || a.MachineId.localeCompare(b.MachineId, undefined, { numeric: true }));
}

export function isFailure(r: Row): boolean {
  return r.Status === "Error" || r.Status === "Cancelled" || r.Status === "Unknown";
}

function Failure(props: { row: Row }) {
  const r = props.row;
  return (
    <li>
      <details class="failure">
        <summary>
          <span class="mono">{r.MachineId}</span> <StatusBadge status={r.Status} /> <span class="muted">{r.step}</span>
          {r.ErrorType ? <span class="muted"> · {r.ErrorType}</span> : null}
        </summary>
        <div class="failure-body">
          <p class="bmc-message">{r.Message ?? "No message."}</p>
          <dl class="facts small">
            <dt>Attempts</dt>
            <dd>{r.Attempts ?? "—"}</dd>
            <dt>Result file</dt>
            <dd class="mono">{r.ResultFile ?? "—"}</dd>
            <dt>Machine</dt>
            <dd>
              <a href={href.machine(r.MachineId)}>Open {r.MachineId}</a>
            </dd>
          </dl>
        </div>
      </details>
    </li>
  );
}

export function Failures(props: { rows: Row[] }) {
  if (props.rows.length === 0) return null;
  return (
    <section class="card">
      <h2>Failures ({props.rows.length})</h2>
      <ul class="failures">
        {props.rows.map((r) => (
          <Failure key={`${r.step}/${r.MachineId}`} row={r} />
        ))}
      </ul>
    </section>
  );
}

export function MachineTable(props: { rows: Row[] }) {
  const showChanges = props.rows.some((r) => r.Before || r.After);
  return (
    <section class="card flush">
      <h2 class="pad">Machines</h2>
      <table class="run-machines">
        <thead>
          <tr>
            <th scope="col">Machine</th>
            <th scope="col">Step</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Duration</th>
            {showChanges ? <th scope="col">Before → After</th> : null}
            <th scope="col">Message</th>
            <th scope="col">Result file</th>
          </tr>
        </thead>
        <tbody>
          {props.rows.map((r) => (
            <tr key={`${r.step}/${r.MachineId}`} class={r.Status === "Error" ? "row-failed" : ""} data-machine={r.MachineId}>
              <td>
                <a class="mono" href={href.machine(r.MachineId)}>
                  {r.MachineId}
                </a>
              </td>
              <td class="nowrap">{r.step}</td>
              <td>
                <StatusBadge status={r.Status} />
              </td>
              <td>{r.Attempts ?? ""}</td>
              <td>{formatDuration(durationMs(r.StartTime, r.EndTime))}</td>
              {showChanges ? (
                <td class="change-cell">
                  <SnapshotChanges before={r.Before} after={r.After} changed={r.Changed} />
                </td>
              ) : null}
              <td class="message">
                {r.Message ?? ""}
                {r.Reason ? <span class="muted small"> ({r.Reason})</span> : null}
              </td>
              <td class="mono small">{r.ResultFile ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
