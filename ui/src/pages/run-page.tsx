/**
 * One run, live: progress (and the rollout's waves), failures first with the
 * BMC's own message, each machine's change and result file; cancel, resume,
 * revert.
 */
import { api } from "../api/client.js";
import { executionPath, isFinal, jobPath, type Execution, type Job } from "../api/types.js";
import { LiveStatus } from "../components/live-status.js";
import { ErrorBox, Loading, OutcomeBadge, PageHeader } from "../components/common.js";
import { RunControls } from "../components/run-controls.js";
import { DONE, Failures, isFailure, MachineTable, rowsOf } from "../components/run-machines.js";
import { durationMs, formatDuration, formatTime } from "../format.js";
import { useLive } from "../live/use-live.js";
import { href } from "../router.js";

async function loadRun(jobId: string, executionId: string): Promise<{ job: Job | undefined; run: Execution }> {
  const [job, run] = await Promise.all([api<Job>("GET", jobPath(jobId)).catch(() => undefined), api<Execution>("GET", executionPath(jobId, executionId))]);
  return { job, run };
}

function RolloutLine(props: { run: Execution }) {
  const r = props.run.Rollout;
  if (!r) return null;
  const wave = r.Batch === 0 ? "the canary wave" : `wave ${r.Batch} of ${r.Batches}`;
  return (
    <p class={r.Halted ? "rollout-line halted" : "rollout-line muted"} data-testid="rollout">
      Rollout: {r.Halted ? `halted in ${wave}` : `at ${wave}`}
      {r.Reason ? ` · ${r.Reason}` : ""}
    </p>
  );
}

export function RunPage(props: { jobId: string; executionId: string }) {
  const { jobId, executionId } = props;
  // The run's events reload it; the job is read too, for its name (the run's events are under the job's path).
  const { data, error } = useLive(`run:${jobId}:${executionId}`, () => loadRun(jobId, executionId), 1000, [executionPath(jobId, executionId)]);
  if (!data) return error ? <ErrorBox error={error} title="Could not read the run" /> : <Loading what="the run" />;
  const { job, run } = data;
  const rows = rowsOf(run);
  const failures = rows.filter(isFailure);
  // A machine a halted rollout never reached is not done: resuming the run reaches it.
  const unreached = rows.filter((r) => r.Reason === "RolloutHalted").length;
  const done = rows.filter((r) => DONE.includes(r.Status)).length - unreached;
  const percent = unreached === 0 && run.PercentComplete !== undefined ? run.PercentComplete : rows.length ? Math.round((done / rows.length) * 100) : 0;
  const final = isFinal(run);
  return (
    <>
      <PageHeader
        title={`Run of ${job?.Name ?? jobId}`}
        subtitle={
          <>
            <span class="mono">{run.Id}</span> · <a href={href.job(jobId)}>job and history</a>
            {run.RevertOf ? (
              <>
                {" "}
                · reverts <a class="mono" href={href.run(jobId, run.RevertOf)}>{run.RevertOf}</a>
              </>
            ) : null}
          </>
        }
      >
        <RunControls jobId={jobId} run={run} rows={rows} />
      </PageHeader>
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
            {final ? null : (
              <>
                {" · "}
                <LiveStatus pollSeconds={1} />
              </>
            )}
          </div>
        </div>
        <div class="progress" role="progressbar" aria-label="Machines done" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
          <div class={`progress-bar ${failures.length ? "has-failures" : ""}`} style={{ width: `${percent}%` }} />
        </div>
        <p class="summary" aria-live="polite">
          {done} of {rows.length} machines done: {run.Summary?.Succeeded ?? rows.filter((r) => r.Status === "Success").length} succeeded, {failures.length} failed
          {unreached > 0 ? `, ${unreached} not reached` : ""}
          {run.Reason ? ` · ${run.Reason}` : ""}
        </p>
        <RolloutLine run={run} />
      </section>
      <Failures rows={failures} />
      <MachineTable rows={rows} />
    </>
  );
}
