/** Every registered machine with its last result, and registering a new one. */
import { useState } from "preact/hooks";
import { ErrorBox, Loading, PageHeader } from "../components/common.js";
import { MachineForm } from "../components/machine-form.js";
import { lastResults, loadFleet } from "../live/fleet-data.js";
import { useLive } from "../live/use-live.js";
import { href, navigate } from "../router.js";
import { formatTime } from "../format.js";

const LAST = { ok: "Succeeded", failed: "Failed", running: "Running", none: "" };

export function MachinesPage() {
  const { data, error } = useLive("machines", loadFleet, 5000);
  const [adding, setAdding] = useState(false);
  const last = data ? lastResults(data.executions) : new Map();
  return (
    <>
      <PageHeader title="Machines" subtitle="The BMCs the gateway can reach.">
        {!adding ? (
          <button type="button" class="primary" onClick={() => setAdding(true)}>
            Register a machine
          </button>
        ) : null}
      </PageHeader>
      {adding ? (
        <section class="card">
          <h2>Register a machine</h2>
          <p class="hint">Registering does not contact the BMC. The password is stored by the gateway and never shown again.</p>
          <MachineForm onDone={(m) => { setAdding(false); navigate(href.machine(m.Id)); }} onCancel={() => setAdding(false)} />
        </section>
      ) : null}
      <ErrorBox error={error} title="Could not read the machines" />
      {!data ? (
        error ? null : <Loading what="machines" />
      ) : data.machines.length === 0 ? (
        <p class="card muted">No machine is registered yet.</p>
      ) : (
        <div class="card flush">
          <table>
            <thead>
              <tr>
                <th scope="col">Machine</th>
                <th scope="col">Type</th>
                <th scope="col">Endpoint</th>
                <th scope="col">User</th>
                <th scope="col">Last result</th>
              </tr>
            </thead>
            <tbody>
              {data.machines.map((m) => {
                const r = last.get(m.Id);
                return (
                  <tr key={m.Id}>
                    <td>
                      <a class="mono" href={href.machine(m.Id)}>
                        {m.Id}
                      </a>
                      {m.Name && m.Name !== m.Id ? <div class="muted small">{m.Name}</div> : null}
                    </td>
                    <td>{m.Type}</td>
                    <td class="mono small">{m.Endpoint}</td>
                    <td>{m.Username}</td>
                    <td>{r ? <span class={`badge badge-${r.status}`} title={r.message ?? formatTime(r.at)}>{LAST[r.status as keyof typeof LAST]}</span> : <span class="muted">no run yet</span>}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
