/** One machine: its registration (edit, remove), its BMC read live through the gateway, and its runs across jobs. */
import { Fragment } from "preact";
import { useState } from "preact/hooks";
import { api, ApiError, listAll, listTop } from "../api/client.js";
import { executionsPath, JOBS, machinePath, machineResults, type Execution, type Job, type Machine, type MachineResult } from "../api/types.js";
import { ConfirmButton, ErrorBox, Loading, PageHeader, StatusBadge } from "../components/common.js";
import { MachineForm } from "../components/machine-form.js";
import { durationMs, formatDuration, formatTime } from "../format.js";
import { removeMachine } from "../live/actions.js";
import { useLive } from "../live/use-live.js";
import { href, navigate } from "../router.js";

type Dict = Record<string, unknown>;
const isDict = (v: unknown): v is Dict => typeof v === "object" && v !== null && !Array.isArray(v);

interface ManagerView {
  id: string;
  manager: Dict;
  profile?: Dict;
}

async function loadBmc(machine: Machine): Promise<ManagerView[]> {
  const base = machinePath(machine.Id);
  const collection = await api<{ Members?: { "@odata.id": string }[] }>("GET", `${base}/Managers`);
  return Promise.all(
    (collection.Members ?? []).map(async (member) => {
      const id = decodeURIComponent(member["@odata.id"].split("/").pop() ?? "");
      const path = `${base}/Managers/${encodeURIComponent(id)}`;
      const [manager, profile] = await Promise.all([
        api<Dict>("GET", path),
        machine.Type === "Extend" ? api<Dict>("GET", `${path}/Oem/OpenBmc/Fan/Profile`).catch(() => undefined) : Promise.resolve(undefined),
      ]);
      return { id, manager, ...(profile ? { profile } : {}) };
    }),
  );
}

interface MachineRun {
  job: Job;
  run: Execution;
  result: MachineResult;
}

async function loadRuns(machineId: string): Promise<MachineRun[]> {
  const jobs = (await listAll<Job>(JOBS)).filter((j) => (j.Machines ?? []).includes(machineId) || (j.Steps ?? []).some((s) => s.Machines.includes(machineId)));
  const pages = await Promise.all(jobs.map(async (job) => ({ job, runs: (await listTop<Execution>(executionsPath(job.Id), 25)).items })));
  const out: MachineRun[] = [];
  for (const { job, runs } of pages) for (const run of runs) for (const result of machineResults(run)) if (result.MachineId === machineId) out.push({ job, run, result });
  return out.sort((a, b) => (b.result.StartTime ?? b.run.StartTime ?? "").localeCompare(a.result.StartTime ?? a.run.StartTime ?? "")).slice(0, 50);
}

function Value(props: { v: unknown }) {
  const v = props.v;
  if (Array.isArray(v)) return <>{v.map((x) => (isDict(x) ? String(x["@odata.id"] ?? "").split("/").pop() : String(x))).join(", ")}</>;
  return <>{String(v)}</>;
}

/** A named set of fan objects (controllers, zones, PID loops): one column per object, one row per setting. */
function FanTable(props: { title: string; members: Dict }) {
  const entries = Object.entries(props.members).filter(([k, v]) => !k.startsWith("@") && isDict(v)) as [string, Dict][];
  if (entries.length === 0) return null;
  const settings = [...new Set(entries.flatMap(([, v]) => Object.keys(v).filter((k) => !k.startsWith("@") && !k.endsWith("@odata.count"))))];
  return (
    <div class="scroll" tabIndex={0} role="region" aria-label={props.title}>
      <h4>{props.title}</h4>
      <table class="compact">
        <thead>
          <tr>
            <th scope="col">Setting</th>
            {entries.map(([name]) => (
              <th scope="col" key={name} class="mono">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {settings.map((setting) => (
            <tr key={setting}>
              <th scope="row">{setting}</th>
              {entries.map(([name, v]) => (
                <td key={name}>{v[setting] === undefined ? "" : <Value v={v[setting]} />}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function BmcView(props: { machine: Machine }) {
  const { data, error, loading } = useLive(`bmc:${props.machine.Id}`, () => loadBmc(props.machine), 10_000);
  if (!data) return error ? <ErrorBox error={error} title="The BMC did not answer" /> : loading ? <Loading what="the BMC" /> : null;
  return (
    <>
      <ErrorBox error={error} title="Last read of the BMC failed" />
      {data.map(({ id, manager, profile }) => {
        const status = isDict(manager.Status) ? manager.Status : {};
        const oem = isDict(manager.Oem) && isDict(manager.Oem.OpenBmc) && isDict(manager.Oem.OpenBmc.Fan) ? manager.Oem.OpenBmc.Fan : undefined;
        return (
          <div key={id} class="manager">
            <h3>
              Manager <span class="mono">{id}</span>
            </h3>
            <dl class="facts">
              {(["ManagerType", "Model", "FirmwareVersion", "PowerState", "ServiceIdentification", "DateTime"] as const).map((k) =>
                manager[k] !== undefined && manager[k] !== "" ? (
                  <Fragment key={k}>
                    <dt>{k}</dt>
                    <dd>{String(manager[k])}</dd>
                  </Fragment>
                ) : null,
              )}
              <dt>Health</dt>
              <dd>{String(status.Health ?? "—")}</dd>
              {profile ? (
                <>
                  <dt>Fan profile</dt>
                  <dd>
                    <strong>{String(profile.Profile ?? "—")}</strong>
                    {Array.isArray(profile["Profile@Redfish.AllowableValues"]) ? <span class="muted"> (allowed: {(profile["Profile@Redfish.AllowableValues"] as unknown[]).join(", ")})</span> : null}
                  </dd>
                </>
              ) : null}
            </dl>
            {oem ? (
              <>
                {isDict(oem.FanControllers) ? <FanTable title="Fan controllers" members={oem.FanControllers} /> : null}
                {isDict(oem.FanZones) ? <FanTable title="Fan zones" members={oem.FanZones} /> : null}
                {isDict(oem.PidControllers) ? <FanTable title="PID controllers" members={oem.PidControllers} /> : null}
              </>
            ) : null}
          </div>
        );
      })}
    </>
  );
}

export function MachinePage(props: { machineId: string }) {
  const { machineId } = props;
  const { data: machine, error } = useLive(`machine:${machineId}`, () => api<Machine>("GET", machinePath(machineId)), 10_000);
  const runs = useLive(`machine-runs:${machineId}`, () => loadRuns(machineId), 5000);
  const [editing, setEditing] = useState(false);
  const [removeError, setRemoveError] = useState<unknown>(undefined);
  const [needsForce, setNeedsForce] = useState(false);
  if (!machine) return error ? <ErrorBox error={error} title="Could not read the machine" /> : <Loading what="the machine" />;
  const remove = async (force: boolean) => {
    setRemoveError(undefined);
    try {
      await removeMachine(machine.Id, force);
      navigate(href.machines());
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setNeedsForce(true);
      setRemoveError(e);
    }
  };
  return (
    <>
      <PageHeader title={machine.Name && machine.Name !== machine.Id ? machine.Name : machine.Id} subtitle={<span class="mono">{machine.Id} · {machine.Type} · {machine.Endpoint}</span>}>
        {!editing ? (
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
        ) : null}
        {needsForce ? (
          <ConfirmButton label="Remove anyway" danger question="Jobs still target it. Remove it anyway?" onConfirm={() => remove(true)} />
        ) : (
          <ConfirmButton label="Remove" danger question={`Remove ${machine.Id}?`} onConfirm={() => remove(false)} />
        )}
      </PageHeader>
      <ErrorBox error={removeError} />
      {editing ? (
        <section class="card">
          <h2>Edit machine</h2>
          <MachineForm machine={machine} onDone={() => setEditing(false)} onCancel={() => setEditing(false)} />
        </section>
      ) : null}
      <div class="grid-2">
        <section class="card">
          <h2>The BMC, live</h2>
          <BmcView machine={machine} />
        </section>
        <section class="card">
          <h2>Runs on this machine</h2>
          <ErrorBox error={runs.error} />
          {!runs.data ? (
            <Loading what="runs" />
          ) : runs.data.length === 0 ? (
            <p class="muted">No job has run here yet.</p>
          ) : (
            <table>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Job</th>
                  <th scope="col">Status</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.map(({ job, run, result }) => (
                  <tr key={`${run.Id}/${result.StartTime ?? ""}`}>
                    <td class="nowrap">
                      <a href={href.run(job.Id, run.Id)}>{formatTime(result.StartTime ?? run.StartTime)}</a>
                    </td>
                    <td>{job.Name}</td>
                    <td title={result.Message ?? ""}>
                      <StatusBadge status={result.Status} />
                      {result.Status === "Error" && result.Message ? <div class="small message">{result.Message}</div> : null}
                    </td>
                    <td>{formatDuration(durationMs(result.StartTime, result.EndTime))}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
