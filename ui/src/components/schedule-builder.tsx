/**
 * Builds a schedule from plain choices (once, every day, days of the week or
 * of the month, a date range, a zone; cron only as the advanced choice) and
 * shows, as the operator types, the gateway's own sentence and next runs
 * (PreviewSchedule), or the gateway's objections.
 */
import { useEffect, useMemo, useState } from "preact/hooks";
import { api, ApiError, errorText } from "../api/client.js";
import { PREVIEW, type Preview, type Schedule } from "../api/types.js";
import { formatInZone } from "../format.js";
import { KINDS, timeZones, toSchedule, WEEKDAYS, type BuilderState } from "../schedule/builder-state.js";

const MONTH_DAYS = [...Array.from({ length: 31 }, (_, i) => String(i + 1)), "L"];

function toggle(list: string[], value: string): string[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

function usePreview(schedule: Schedule): { preview?: Preview; error?: unknown; pending: boolean } {
  const [result, setResult] = useState<{ preview?: Preview; error?: unknown; pending: boolean }>({ pending: true });
  const body = JSON.stringify(schedule);
  useEffect(() => {
    const controller = new AbortController();
    setResult((r) => ({ ...r, pending: true }));
    // Waits for a pause in typing, so a burst of keys is one request.
    const timer = setTimeout(() => {
      api<Preview>("POST", PREVIEW, { body: { Schedule: schedule, Count: 5 }, signal: controller.signal })
        .then((preview) => setResult({ preview, pending: false }))
        .catch((error: unknown) => {
          if (!controller.signal.aborted) setResult({ error, pending: false });
        });
    }, 250);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [body]);
  return result;
}

export function ScheduleBuilder(props: { state: BuilderState; onChange: (s: BuilderState) => void }) {
  const { state, onChange } = props;
  const set = (patch: Partial<BuilderState>) => onChange({ ...state, ...patch });
  const schedule = toSchedule(state);
  const { preview, error, pending } = usePreview(schedule);
  const zones = useMemo(timeZones, []);
  const recurring = state.kind === "Daily" || state.kind === "Weekdays" || state.kind === "DaysOfMonth";
  const timed = recurring || state.kind === "Once";

  return (
    <div class="builder">
      <div class="builder-fields">
        <fieldset class="kind-picker">
          <legend>Runs</legend>
          {KINDS.map((k) => (
            <label key={k.kind} class="radio">
              <input type="radio" name="schedule-kind" value={k.kind} checked={state.kind === k.kind} onChange={() => set({ kind: k.kind })} />
              {k.label}
            </label>
          ))}
        </fieldset>

        {state.kind === "Once" ? (
          <label>
            Date <span class="hint">(empty: the next time the clock shows the time)</span>
            <input type="date" value={state.date} onInput={(e) => set({ date: e.currentTarget.value })} />
          </label>
        ) : null}

        {timed ? (
          <label>
            Time
            <input type="time" required value={state.time} onInput={(e) => set({ time: e.currentTarget.value })} />
          </label>
        ) : null}

        {state.kind === "Weekdays" ? (
          <fieldset class="chips">
            <legend>Days of the week</legend>
            {WEEKDAYS.map((d) => (
              <label key={d} class="chip">
                <input type="checkbox" checked={state.days.includes(d)} onChange={() => set({ days: toggle(state.days, d) })} />
                <span>{d.slice(0, 3)}</span>
              </label>
            ))}
            <span class="chip-shortcuts">
              <button type="button" class="link" onClick={() => set({ days: WEEKDAYS.slice(0, 5) })}>
                Mon–Fri
              </button>
              <button type="button" class="link" onClick={() => set({ days: WEEKDAYS.slice(5) })}>
                Weekend
              </button>
            </span>
          </fieldset>
        ) : null}

        {state.kind === "DaysOfMonth" ? (
          <fieldset class="chips month-days">
            <legend>Days of the month</legend>
            {MONTH_DAYS.map((d) => (
              <label key={d} class="chip" title={d === "L" ? "The last day of each month" : undefined}>
                <input type="checkbox" checked={state.monthDays.includes(d)} onChange={() => set({ monthDays: toggle(state.monthDays, d) })} aria-label={d === "L" ? "Last day of the month" : `Day ${d}`} />
                <span aria-hidden="true">{d === "L" ? "Last" : d}</span>
              </label>
            ))}
          </fieldset>
        ) : null}

        {recurring ? (
          <div class="row">
            <label>
              From <span class="hint">(optional)</span>
              <input type="date" value={state.startDay} onInput={(e) => set({ startDay: e.currentTarget.value })} />
            </label>
            <label>
              Until <span class="hint">(optional, inclusive)</span>
              <input type="date" value={state.endDay} onInput={(e) => set({ endDay: e.currentTarget.value })} />
            </label>
          </div>
        ) : null}

        {state.kind === "Cron" ? (
          <label>
            Cron pattern <span class="hint">(5 fields, or 6 with seconds first)</span>
            <input type="text" class="mono" spellcheck={false} value={state.cron} onInput={(e) => set({ cron: e.currentTarget.value })} />
          </label>
        ) : null}

        {state.kind !== "Manual" ? (
          <label>
            Time zone
            <input type="text" list="time-zones" value={state.timeZone} onInput={(e) => set({ timeZone: e.currentTarget.value })} autocomplete="off" spellcheck={false} />
            <datalist id="time-zones">
              {zones.map((z) => (
                <option key={z} value={z} />
              ))}
            </datalist>
          </label>
        ) : null}
      </div>

      <section class="preview" aria-live="polite" aria-label="Schedule preview" data-pending={pending ? "true" : "false"}>
        <h3>Preview</h3>
        {error ? (
          <div class="error-box" role="alert">
            {error instanceof ApiError && error.details.length > 0 ? (
              <ul>
                {error.details.map((d, i) => (
                  <li key={i}>{d.Message}</li>
                ))}
              </ul>
            ) : (
              errorText(error)
            )}
          </div>
        ) : preview ? (
          <>
            <p class="sentence" data-testid="schedule-sentence">
              {preview.Description}
            </p>
            {preview.NextRunTimes.length > 0 ? (
              <>
                <p class="muted">Next runs</p>
                <ol class="next-runs">
                  {preview.NextRunTimes.map((t) => (
                    <li key={t}>
                      <time dateTime={t}>{formatInZone(t, state.kind === "Manual" ? undefined : state.timeZone)}</time>
                    </li>
                  ))}
                </ol>
              </>
            ) : (
              <p class="muted">No run is due: it runs only when triggered.</p>
            )}
          </>
        ) : (
          <p class="muted">Working it out…</p>
        )}
      </section>
    </div>
  );
}
