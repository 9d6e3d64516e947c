/**
 * A job's rollout settings in the job form: waves (canary machines first,
 * then batches by count or by percent, a pause between them) and a failure
 * budget with what to do on a halt. Numbers stay text while typed; the
 * gateway checks the values and its objections name the Rollout fields.
 */
import type { Rollout } from "../api/types.js";

export interface RolloutDraft {
  on: boolean;
  canary: string;
  by: "size" | "percent";
  batch: string;
  maxFailurePercent: string;
  pauseSeconds: string;
  onHalt: "Stop" | "Revert";
}

export function rolloutDraft(r: Rollout | null | undefined): RolloutDraft {
  if (!r) return { on: false, canary: "1", by: "size", batch: "10", maxFailurePercent: "10", pauseSeconds: "0", onHalt: "Stop" };
  return {
    on: true,
    canary: String(r.Canary ?? 0),
    by: r.BatchPercent !== undefined ? "percent" : "size",
    batch: String(r.BatchPercent ?? r.BatchSize ?? ""),
    maxFailurePercent: String(r.MaxFailurePercent ?? ""),
    pauseSeconds: String(r.PauseSeconds ?? ""),
    onHalt: r.OnHalt ?? "Stop",
  };
}

/** A field left empty is left out (the gateway's default); anything else goes as a number for the gateway to judge. */
function num(text: string): number | undefined {
  return text.trim() === "" ? undefined : Number(text);
}

export function toRollout(d: RolloutDraft): Rollout | null {
  if (!d.on) return null;
  const out: Rollout = { OnHalt: d.onHalt };
  const fields: [keyof Rollout, string][] = [
    ["Canary", d.canary],
    [d.by === "size" ? "BatchSize" : "BatchPercent", d.batch],
    ["MaxFailurePercent", d.maxFailurePercent],
    ["PauseSeconds", d.pauseSeconds],
  ];
  for (const [key, text] of fields) {
    const value = num(text);
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}

export function RolloutFields(props: { value: RolloutDraft; onChange: (value: RolloutDraft) => void }) {
  const d = props.value;
  const set = (patch: Partial<RolloutDraft>) => props.onChange({ ...d, ...patch });
  return (
    <>
      <label class="checkbox">
        <input type="checkbox" checked={d.on} onChange={(e) => set({ on: e.currentTarget.checked })} />
        Roll out in waves, halting when too many machines fail
      </label>
      {!d.on ? (
        <p class="hint">Off: every machine is changed at once.</p>
      ) : (
        <div class="form-grid rollout">
          <label>
            Canary machines (first wave)
            <input type="number" min={0} step={1} inputMode="numeric" value={d.canary} onInput={(e) => set({ canary: e.currentTarget.value })} />
          </label>
          <label>
            Later waves by
            <select value={d.by} onChange={(e) => set({ by: e.currentTarget.value === "percent" ? "percent" : "size" })}>
              <option value="size">number of machines</option>
              <option value="percent">percent of the machines</option>
            </select>
          </label>
          <label>
            {d.by === "size" ? "Machines per wave" : "Percent per wave"}
            <input type="number" min={1} max={d.by === "percent" ? 100 : undefined} step={1} inputMode="numeric" value={d.batch} onInput={(e) => set({ batch: e.currentTarget.value })} />
          </label>
          <label>
            Failure budget (% of machines done)
            <input type="number" min={0} max={100} step={1} inputMode="numeric" value={d.maxFailurePercent} onInput={(e) => set({ maxFailurePercent: e.currentTarget.value })} />
          </label>
          <label>
            Pause between waves (seconds)
            <input type="number" min={0} step="any" value={d.pauseSeconds} onInput={(e) => set({ pauseSeconds: e.currentTarget.value })} />
          </label>
          <label>
            When it halts
            <select value={d.onHalt} onChange={(e) => set({ onHalt: e.currentTarget.value === "Revert" ? "Revert" : "Stop" })}>
              <option value="Stop">stop (resume by hand)</option>
              <option value="Revert">revert what it changed</option>
            </select>
          </label>
          <p class="hint span-all">A canary that fails halts the run at once; after each later wave the run halts when more than the budget of the machines done so far failed.</p>
        </div>
      )}
    </>
  );
}

/** The rollout in a sentence, for the job's page. */
export function describeRollout(r: Rollout): string {
  const waves = r.BatchPercent !== undefined ? `waves of ${r.BatchPercent}% of the machines` : `waves of ${r.BatchSize ?? "?"} machines`;
  const canary = r.Canary ? `${r.Canary} canary machine${r.Canary === 1 ? "" : "s"} first, then ` : "";
  const pause = r.PauseSeconds ? `, ${r.PauseSeconds} s apart` : "";
  const onHalt = r.OnHalt === "Revert" ? "halt and revert" : "halt";
  return `${canary}${waves}${pause}; ${onHalt} when more than ${r.MaxFailurePercent ?? 0}% fail`;
}
