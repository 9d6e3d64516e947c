/** One run, live: progress, failures first with the BMC's own message, each machine's result file, cancel. */
import { useState } from "preact/hooks";
import { api } from "../api/client.js";
import { executionPath, isFinal, jobPath, type Execution, type Job, type MachineResult } from "../api/types.js";
import { ConfirmButton, ErrorBox, Loading, OutcomeBadge, PageHeader, StatusBadge } from "../components/common.js";
import { durationMs, formatDuration, formatTime } from "../format.js";
import { cancelRun } from "../live/actions.js";
import { useLive } from "../live/use-live.js";
import { href } from "../router.js";

interface Row extends MachineResult {
  step: string;
}

const ORDER: Record<string, number> = { Error: 0, Cancelled: 1, Running: 2, Pending: 3, Skipped: 4, Success: 5 };

async function loadRun(jobId: string, executionId: string): Promise<{ job: Job | undefined; run: Execution }> {
  const [job, run] = await Promise.all([api<Job>("GET", jobPath(jobId)).catch(() => undefined), api<Execution>("GET", executionPath(jobId, executionId))]);
  return { job, run };
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

export function RunPage(props: { jobId: string; executionId: string }) {
  const { jobId, executionId } = props;
  const { data, error } = useLive(`run:${jobId}:${executionId}`, () => loadRun(jobId, executionId), 1000);
  const [actionError, setActionError] = useState<unknown>(undefined);
  if (!data) return error ? <ErrorBox error={error} title="Could not read the run" /> : <Loading what="the run" />;
  const { job, run } = data;
  const rows: Row[] = (run.Steps ?? []).flatMap((s, i) => (s.Machines ?? []).map((m) => ({ ...m, step: s.Name ?? `Step ${i + 1}` })));
  rows.sort((a, b) => (ORDER[a.Status] ?? 9) - (ORDER[b.Status] ?? 9) || a.MachineId.localeCompare(b.MachineId, undefined, { numeric: true }));
  const failures = rows.filter((r) => r.Status === "Error" || r.Status === "Cancelled");
  const done = rows.filter((r) => ["Success", "Error", "Cancelled", "Skipped"].includes(r.Status)).length;
  const percent = run.PercentComplete ?? (rows.length ? Math.round((done / rows.length) * 100) : 0);
  const final = isFinal(run);
  return (
    <>
      <PageHeader
        title={`Run of ${job?.Name ?? jobId}`}
        subtitle={
          <>
            <span class="mono">{run.Id}</span> · <a href={href.job(jobId)}>job and history</a>
          </>
        }
      >
        {!final ? <ConfirmButton label="Cancel run" danger confirmLabel="Yes, cancel it" question="Cancel this run?" onConfirm={async () => { try { await cancelRun(jobId, run.Id); } catch (e) { setActionError(e); } }} /> : null}
      </PageHeader>
      <ErrorBox error={actionError} />
      <ErrorBox error={error} title="Last refresh failed" />
      <section class="card">
        <div class="run-head">
          <div>
            <span class="run-state" data-testid="run-state">
              {run.State}
            </span>{" "}
            <OutcomeBadge execution={run} />
          </div>
          <div class="muted">
            {run.Trigger}
            {run.InitiatedBy ? ` by ${run.InitiatedBy}` : ""} · started {formatTime(run.StartTime ?? run.ScheduledTime)}
            {final ? ` · took ${formatDuration(durationMs(run.StartTime, run.EndTime))}` : ""}
          </div>
        </div>
        <div class="progress" role="progressbar" aria-label="Machines done" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
          <div class={`progress-bar ${failures.length ? "has-failures" : ""}`} style={{ width: `${percent}%` }} />
        </div>
        <p class="summary" aria-live="polite">
          {done} of {rows.length} machines done: {run.Summary?.Succeeded ?? rows.filter((r) => r.Status === "Success").length} succeeded, {failures.length} failed
          {run.Reason ? ` · ${run.Reason}` : ""}
        </p>
      </section>

      {failures.length > 0 ? (
        <section class="card">
          <h2>Failures ({failures.length})</h2>
          <ul class="failures">
            {failures.map((r) => (
              <Failure key={`${r.step}/${r.MachineId}`} row={r} />
            ))}
          </ul>
        </section>
      ) : null}

      <section class="card flush">
        <h2 class="pad">Machines</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Machine</th>
              <th scope="col">Step</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Duration</th>
              <th scope="col">Message</th>
              <th scope="col">Result file</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={`${r.step}/${r.MachineId}`} class={r.Status === "Error" ? "row-failed" : ""}>
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
                <td class="message">{r.Message ?? ""}</td>
                <td class="mono small">{r.ResultFile ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
