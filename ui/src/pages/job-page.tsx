/** One job: what it does, its controls, its plan (dry run) on demand, and its history (filters by state and machine, a duration chart). */
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { api, listTop } from "../api/client.js";
import { executionsPath, isFinal, jobPath, machineResults, outcomeOf, type Execution, type Job } from "../api/types.js";
import { DurationChart } from "../components/charts.js";
import { ConfirmButton, ErrorBox, Loading, OutcomeBadge, PageHeader } from "../components/common.js";
import { PlanPanel } from "../components/plan-panel.js";
import { describeRollout } from "../components/rollout-fields.js";
import { durationMs, formatDuration, formatTime, relative } from "../format.js";
import { cancelJob, deleteJob, setEnabled, trigger } from "../live/actions.js";
import { useLive } from "../live/use-live.js";
import { href, navigate } from "../router.js";

const HISTORY = 100;

async function loadJob(jobId: string): Promise<{ job: Job; runs: Execution[]; total: number }> {
  const [job, page] = await Promise.all([api<Job>("GET", jobPath(jobId)), listTop<Execution>(executionsPath(jobId), HISTORY)]);
  return { job, runs: page.items, total: page.total };
}

function machinesOf(job: Job): string[] {
  return [...new Set([...(job.Machines ?? []), ...(job.Steps ?? []).flatMap((s) => s.Machines)])];
}

export function JobPage(props: { jobId: string }) {
  const { jobId } = props;
  const { data, error } = useLive(`job:${jobId}`, () => loadJob(jobId), 2500, [jobPath(jobId)]);
  const [state, setState] = useState("");
  const [machine, setMachine] = useState("");
  const [actionError, setActionError] = useState<unknown>(undefined);
  // 0: no plan shown; each press of Plan counts up, so pressing it again plans afresh.
  const [planAttempt, setPlanAttempt] = useState(0);
  if (!data) return error ? <ErrorBox error={error} title="Could not read the job" /> : <Loading what="the job" />;
  const { job, runs, total } = data;
  const act = async (what: () => Promise<unknown>) => {
    setActionError(undefined);
    try {
      await what();
    } catch (e) {
      setActionError(e);
    }
  };
  const states = [...new Set(runs.map((r) => r.State))];
  const shown = runs.filter((r) => (state === "" || r.State === state) && (machine === "" || machineResults(r).some((m) => m.MachineId === machine)));
  const finished = shown.filter(isFinal).slice().reverse();
  const step = job.Steps?.[0];
  return (
    <>
      <PageHeader title={job.Name} subtitle={<span class="mono">{job.Id}</span>}>
        <button type="button" class="primary" onClick={() => act(async () => navigate(href.run(job.Id, (await trigger(job.Id)).Id)))}>
          Run now
        </button>
        <button type="button" onClick={() => act(() => setEnabled(job.Id, !job.Enabled))}>
          {job.Enabled ? "Pause" : "Resume"}
        </button>
        <button type="button" onClick={() => setPlanAttempt(planAttempt + 1)}>
          {planAttempt > 0 ? "Plan again" : "Plan"}
        </button>
        <a class="button" href={href.jobEdit(job.Id)}>
          Edit
        </a>
        <ConfirmButton label="Stop scheduling" confirmLabel="Yes, stop for good" question="Stop this job's schedule for good?" onConfirm={() => act(() => cancelJob(job.Id))} />
        <ConfirmButton label="Delete" danger question="Delete this job and its history?" onConfirm={() => act(async () => { await deleteJob(job.Id); navigate(href.jobs()); })} />
      </PageHeader>
      <ErrorBox error={actionError} />
      <ErrorBox error={error} title="Last refresh failed" />
      <section class="card">
        <dl class="facts">
          <dt>Schedule</dt>
          <dd>{job.ScheduleDescription ?? job.Schedule.Type}</dd>
          <dt>State</dt>
          <dd>
            {job.Enabled ? "Enabled" : "Paused"}
            {job.Status ? ` · ${job.Status}` : ""}
          </dd>
          <dt>Next run</dt>
          <dd>{job.NextRunTime && job.Enabled ? `${formatTime(job.NextRunTime)} (${relative(job.NextRunTime)})` : "—"}</dd>
          <dt>Action</dt>
          <dd>{job.Steps && job.Steps.length > 1 ? `${job.Steps.length} steps: ${job.Steps.map((s) => s.Action).join(", ")}` : (job.Action ?? step?.Action)}</dd>
          <dt>Machines</dt>
          <dd>
            {machinesOf(job).map((m, i) => (
              <Fragment key={m}>
                {i > 0 ? ", " : ""}
                <a href={href.machine(m)}>{m}</a>
              </Fragment>
            ))}
          </dd>
          <dt>Rollout</dt>
          <dd>{job.Rollout ? describeRollout(job.Rollout) : "every machine at once"}</dd>
          <dt>Payload</dt>
          <dd>
            <code class="payload">{JSON.stringify(job.Payload ?? step?.Payload ?? null)}</code>
          </dd>
        </dl>
      </section>

      {planAttempt > 0 ? <PlanPanel jobId={job.Id} attempt={planAttempt} onClose={() => setPlanAttempt(0)} /> : null}

      <section class="card">
        <h2>History</h2>
        <div class="row filters">
          <label>
            State
            <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
              <option value="">Any state</option>
              {states.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </select>
          </label>
          <label>
            Machine
            <select value={machine} onChange={(e) => setMachine(e.currentTarget.value)}>
              <option value="">Any machine</option>
              {machinesOf(job).map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </label>
          <p class="muted grow">
            {shown.length} of {total} runs{total > HISTORY ? ` (the newest ${HISTORY} are read)` : ""}
          </p>
        </div>
        {finished.length > 0 ? (
          <DurationChart
            title="Run durations"
            bars={finished.map((r) => ({ label: formatTime(r.StartTime), ms: durationMs(r.StartTime, r.EndTime) ?? 0, outcome: outcomeOf(r) }))}
          />
        ) : null}
        {shown.length === 0 ? (
          <p class="muted">No run matches.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Outcome</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Machines</th>
                <th scope="col">Trigger</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((r) => (
                <tr key={r.Id}>
                  <td>
                    <a class="mono" href={href.run(job.Id, r.Id)}>
                      {r.Id}
                    </a>
                  </td>
                  <td>
                    <OutcomeBadge execution={r} /> {r.State !== "Completed" && isFinal(r) ? <span class="muted small">{r.State}</span> : null}
                  </td>
                  <td>{formatTime(r.StartTime ?? r.ScheduledTime)}</td>
                  <td>{formatDuration(durationMs(r.StartTime, r.EndTime))}</td>
                  <td>
                    {r.Summary?.Succeeded ?? 0} ok, {r.Summary?.Failed ?? 0} failed of {r.Summary?.Machines ?? 0}
                  </td>
                  <td>
                    {r.Trigger}
                    {r.Reason ? <span class="muted small"> · {r.Reason}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
