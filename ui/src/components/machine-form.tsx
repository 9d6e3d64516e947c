/** Registering or editing a machine. The password is write-only: empty when editing means "keep it". */
import { useState } from "preact/hooks";
import { api, ApiError } from "../api/client.js";
import { machinePath, PLATFORM, type Machine } from "../api/types.js";
import { live } from "../live/source.js";
import { ErrorBox } from "./common.js";

export function MachineForm(props: { machine?: Machine; onDone: (m: Machine) => void; onCancel: () => void }) {
  const m = props.machine;
  const editing = m !== undefined;
  const [f, setF] = useState({
    Id: m?.Id ?? "",
    Name: m?.Name ?? "",
    Type: m?.Type ?? "Extend",
    Endpoint: m?.Endpoint ?? "",
    Username: m?.Username ?? "",
    Password: "",
    AuthMethod: m?.AuthMethod ?? "Basic",
    HTTPClientTimeout: String(m?.HTTPClientTimeout ?? 30),
    Insecure: m?.Insecure ?? false,
  });
  const [error, setError] = useState<unknown>(undefined);
  const [busy, setBusy] = useState(false);
  const set = (patch: Partial<typeof f>) => setF({ ...f, ...patch });

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const body: Record<string, unknown> = {
      Name: f.Name || undefined,
      Type: f.Type,
      Endpoint: f.Endpoint,
      Username: f.Username,
      AuthMethod: f.AuthMethod,
      HTTPClientTimeout: Number(f.HTTPClientTimeout),
      Insecure: f.Insecure,
    };
    if (editing) {
      // Only what changed: the gateway asks for the password again when the endpoint, user or login method changes.
      for (const key of ["Endpoint", "Username", "AuthMethod"] as const) if (body[key] === m[key]) delete body[key];
    }
    if (!editing || f.Password !== "") body.Password = f.Password;
    if (!editing) body.Id = f.Id;
    try {
      const saved = await api<Machine>(editing ? "PATCH" : "POST", editing ? machinePath(m.Id) : PLATFORM, { body: JSON.parse(JSON.stringify(body)) as unknown });
      live.refresh();
      props.onDone(saved);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="machine-form" onSubmit={submit} aria-label={editing ? `Edit machine ${m.Id}` : "Register a machine"}>
      <div class="form-grid">
        <label>
          Id
          <input type="text" required disabled={editing} value={f.Id} onInput={(e) => set({ Id: e.currentTarget.value })} pattern="[A-Za-z0-9][A-Za-z0-9._\-]{0,63}" />
        </label>
        <label>
          Name <span class="hint">(optional)</span>
          <input type="text" value={f.Name} onInput={(e) => set({ Name: e.currentTarget.value })} />
        </label>
        <label>
          Endpoint
          <input type="url" required placeholder="https://10.0.0.12" value={f.Endpoint} onInput={(e) => set({ Endpoint: e.currentTarget.value })} />
        </label>
        <label>
          Type
          <select value={f.Type} onChange={(e) => set({ Type: e.currentTarget.value })}>
            <option value="Extend">Extend (OpenBMC with fan controls)</option>
            <option value="Base">Base (standard Redfish)</option>
          </select>
        </label>
        <label>
          BMC user
          <input type="text" required autocomplete="off" value={f.Username} onInput={(e) => set({ Username: e.currentTarget.value })} />
        </label>
        <label>
          BMC password {editing ? <span class="hint">(leave empty to keep it)</span> : null}
          <input type="password" required={!editing} autocomplete="new-password" value={f.Password} onInput={(e) => set({ Password: e.currentTarget.value })} />
        </label>
        <label>
          Log-in method
          <select value={f.AuthMethod} onChange={(e) => set({ AuthMethod: e.currentTarget.value })}>
            <option value="Basic">Basic on every request</option>
            <option value="Session">Redfish session</option>
          </select>
        </label>
        <label>
          Timeout (seconds)
          <input type="number" min={1} max={3600} value={f.HTTPClientTimeout} onInput={(e) => set({ HTTPClientTimeout: e.currentTarget.value })} />
        </label>
        <label class="checkbox">
          <input type="checkbox" checked={f.Insecure} onChange={(e) => set({ Insecure: e.currentTarget.checked })} />
          Skip TLS certificate checks
        </label>
      </div>
      {error instanceof ApiError && error.details.length > 0 ? (
        <div class="error-box" role="alert">
          <ul>
            {error.details.map((d, i) => (
              <li key={i}>{d.Message}</li>
            ))}
          </ul>
        </div>
      ) : (
        <ErrorBox error={error} />
      )}
      <div class="form-actions">
        <button type="submit" class="primary" disabled={busy}>
          {editing ? "Save machine" : "Register machine"}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
