/** Every job: its schedule in words, next and last run, last outcome, and pause/resume and run-now in the row. */
import { useEffect, useState } from "preact/hooks";
import { listAll, listTop } from "../api/client.js";
import { executionsPath, JOBS, type Execution, type Job } from "../api/types.js";
import { ErrorBox, Loading, OutcomeBadge, PageHeader } from "../components/common.js";
import { formatTime, relative } from "../format.js";
import { setEnabled, trigger } from "../live/actions.js";
import { useLive } from "../live/use-live.js";
import { href, navigate } from "../router.js";

interface JobRow {
  job: Job;
  last: Execution | undefined;
}

/** Rows per page: each shown job costs one request for its last run, so a page stays small. */
const PAGE = 50;

async function loadJobs(page: number): Promise<{ rows: JobRow[]; total: number }> {
  const all = await listAll<Job>(JOBS);
  const jobs = all.slice(page * PAGE, (page + 1) * PAGE);
  const rows = await Promise.all(
    jobs.map(async (job) => {
      if (job.ExecutionCount === 0) return { job, last: undefined };
      const latest = await listTop<Execution>(executionsPath(job.Id), 1).catch(() => ({ items: [] as Execution[] }));
      return { job, last: latest.items[0] };
    }),
  );
  return { rows, total: all.length };
}

function Row(props: { row: JobRow; onError: (e: unknown) => void }) {
  const { job, last } = props.row;
  const [busy, setBusy] = useState(false);
  // The switch shows the operator's choice at once, until the change is done and the refreshed job agrees
  // (or the change fails). Not before it is done: a refresh read before the change landed may agree with an
  // earlier choice for a moment, and then the next one, also read before it landed, would flip the switch back.
  const [wanted, setWanted] = useState<boolean | undefined>(undefined);
  const enabled = wanted ?? job.Enabled;
  useEffect(() => {
    if (!busy && wanted === job.Enabled) setWanted(undefined);
  }, [job.Enabled, wanted, busy]);
  const run = async (what: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await what();
    } catch (e) {
      props.onError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr>
      <td>
        <a href={href.job(job.Id)}>{job.Name}</a>
        <div class="muted small mono">{job.Id}</div>
      </td>
      <td>{job.ScheduleDescription ?? job.Schedule.Type}</td>
      <td title={formatTime(job.NextRunTime)}>{job.NextRunTime && job.Enabled ? relative(job.NextRunTime) : <span class="muted">—</span>}</td>
      <td title={formatTime(job.LastRunTime)}>{job.LastRunTime ? relative(job.LastRunTime) : <span class="muted">never</span>}</td>
      <td>{last ? <a href={href.run(job.Id, last.Id)}><OutcomeBadge execution={last} /></a> : <OutcomeBadge execution={undefined} />}</td>
      <td>
        <label class="switch">
          <input
            type="checkbox"
            role="switch"
            checked={enabled}
            disabled={busy}
            onChange={(e) => {
              const value = e.currentTarget.checked;
              setWanted(value);
              void run(() => setEnabled(job.Id, value).catch((error: unknown) => {
                setWanted(undefined);
                throw error;
              }));
            }}
          />
          <span>{enabled ? "Enabled" : "Paused"}</span>
          <span class="sr-only"> {job.Name}</span>
        </label>
      </td>
      <td class="row-actions">
        <button type="button" disabled={busy} onClick={() => run(async () => navigate(href.run(job.Id, (await trigger(job.Id)).Id)))}>
          Run now<span class="sr-only"> {job.Name}</span>
        </button>
        <a class="button" href={href.jobEdit(job.Id)}>
          Edit<span class="sr-only"> {job.Name}</span>
        </a>
      </td>
    </tr>
  );
}

export function JobsPage() {
  const [page, setPage] = useState(0);
  const { data, error } = useLive(`jobs:${page}`, () => loadJobs(page), 4000, [JOBS]);
  const [actionError, setActionError] = useState<unknown>(undefined);
  const pages = data ? Math.max(1, Math.ceil(data.total / PAGE)) : 1;
  return (
    <>
      <PageHeader title="Jobs" subtitle="What runs when, on which machines.">
        <a class="button primary" href={href.jobNew()}>
          New job
        </a>
      </PageHeader>
      <ErrorBox error={actionError} />
      <ErrorBox error={error} title="Could not read the jobs" />
      {!data ? (
        error ? null : <Loading what="jobs" />
      ) : data.total === 0 ? (
        <p class="card muted">
          No job yet. <a href={href.jobNew()}>Create the first one</a>.
        </p>
      ) : (
        <div class="card flush">
          <table>
            <thead>
              <tr>
                <th scope="col">Job</th>
                <th scope="col">Schedule</th>
                <th scope="col">Next run</th>
                <th scope="col">Last run</th>
                <th scope="col">Last outcome</th>
                <th scope="col">Enabled</th>
                <th scope="col">
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rows.map((row) => (
                <Row key={row.job.Id} row={row} onError={setActionError} />
              ))}
            </tbody>
          </table>
          {pages > 1 ? (
            <nav class="pager" aria-label="Job pages">
              <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
                Previous
              </button>
              <span>
                Page {page + 1} of {pages} ({data.total} jobs)
              </span>
              <button type="button" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)}>
                Next
              </button>
            </nav>
          ) : null}
        </div>
      )}
    </>
  );
}
