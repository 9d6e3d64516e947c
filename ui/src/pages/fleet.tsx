/** The fleet at a glance: counts, runs in progress, the last 24 hours, and a map of every machine's last result. */
import { OutcomeChart } from "../components/charts.js";
import { ErrorBox, Loading, OutcomeBadge, PageHeader, Stat } from "../components/common.js";
import { FleetMap } from "../components/fleet-map.js";
import { formatTime, relative } from "../format.js";
import { hourlyOutcomes, lastDay, lastResults, loadFleet } from "../live/fleet-data.js";
import { useLive } from "../live/use-live.js";
import { href } from "../router.js";
import { isFinal, outcomeOf } from "../api/types.js";

export function FleetPage() {
  const { data, error } = useLive("fleet", loadFleet, 4000);
  if (!data) return error ? <ErrorBox error={error} title="Could not read the fleet" /> : <Loading what="the fleet" />;
  const running = data.executions.filter((e) => !isFinal(e));
  const day = lastDay(data.executions);
  const counts = { ok: 0, warning: 0, failed: 0 };
  for (const e of day) {
    const o = outcomeOf(e);
    if (o === "ok" || o === "warning" || o === "failed") counts[o] += 1;
  }
  const jobName = new Map(data.jobs.map((j) => [j.Id, j.Name]));
  const last = lastResults(data.executions);
  const failing = data.machines.filter((m) => last.get(m.Id)?.status === "failed").length;
  const enabled = data.jobs.filter((j) => j.Enabled).length;
  return (
    <>
      <PageHeader title="Fleet" subtitle="Everything the gateway runs, refreshed every few seconds." />
      <ErrorBox error={error} title="Last refresh failed" />
      <div class="stats">
        <Stat label={`machines${failing ? `, ${failing} failing` : ""}`} value={data.machines.length} href={href.machines()} tone={failing ? "tone-failed" : ""} />
        <Stat label={`jobs, ${enabled} enabled`} value={data.jobs.length} href={href.jobs()} />
        <Stat label="runs in progress" value={running.length} tone={running.length ? "tone-running" : ""} />
        <Stat label="succeeded (24 h)" value={counts.ok} tone="tone-ok" />
        <Stat label="with warnings (24 h)" value={counts.warning} tone={counts.warning ? "tone-warning" : ""} />
        <Stat label="failed (24 h)" value={counts.failed} tone={counts.failed ? "tone-failed" : ""} />
      </div>

      <div class="grid-2">
        <section class="card">
          <h2>Runs over the last 24 hours</h2>
          <OutcomeChart buckets={hourlyOutcomes(data.executions)} title="Runs per hour over the last 24 hours" />
        </section>
        <section class="card">
          <h2>Fleet map</h2>
          {data.machines.length ? <FleetMap machines={data.machines} last={last} /> : <p class="muted">No machine is registered yet. <a href={href.machines()}>Register one</a>.</p>}
        </section>
      </div>

      <section class="card">
        <h2>In progress and recent runs</h2>
        {data.executions.length === 0 ? (
          <p class="muted">
            No run yet. <a href={href.jobNew()}>Create a job</a> and trigger it.
          </p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Outcome</th>
                <th scope="col">Machines</th>
                <th scope="col">Started</th>
                <th scope="col">Trigger</th>
              </tr>
            </thead>
            <tbody>
              {[...running, ...data.executions.filter((e) => isFinal(e))].slice(0, 12).map((e) => (
                <tr key={e.Id}>
                  <td>
                    <a href={href.run(e.JobId, e.Id)}>{jobName.get(e.JobId) ?? e.JobId}</a>
                  </td>
                  <td>
                    <OutcomeBadge execution={e} /> {!isFinal(e) ? <span class="muted">{e.PercentComplete ?? 0}%</span> : null}
                  </td>
                  <td>
                    {e.Summary?.Succeeded ?? 0} ok, {e.Summary?.Failed ?? 0} failed of {e.Summary?.Machines ?? 0}
                  </td>
                  <td title={formatTime(e.StartTime)}>{relative(e.StartTime ?? e.ScheduledTime)}</td>
                  <td>{e.Trigger ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
