/**
 * Creating and editing a job: name, schedule (the builder), action and its
 * payload (a form from the action's schema), machines (the picker). The
 * gateway checks the body; its objections are listed as it words them.
 */
import { useEffect, useState } from "preact/hooks";
import { api, ApiError, listAll } from "../api/client.js";
import { jobPath, JOBS, PLATFORM, type Job, type Machine } from "../api/types.js";
import { ErrorBox, Loading, PageHeader } from "../components/common.js";
import { MachinePicker } from "../components/machine-picker.js";
import { PayloadForm } from "../components/payload-form.js";
import { RolloutFields, rolloutDraft, toRollout, type RolloutDraft } from "../components/rollout-fields.js";
import { ScheduleBuilder } from "../components/schedule-builder.js";
import { live } from "../live/source.js";
import { ACTION_SCHEMAS, ACTIONS, newEntry } from "../payload/action-schemas.js";
import { href, navigate } from "../router.js";
import { fromSchedule, initialState, toSchedule, type BuilderState } from "../schedule/builder-state.js";

interface Draft {
  name: string;
  enabled: boolean;
  schedule: BuilderState;
  action: string;
  payload: Record<string, unknown>[];
  machines: string[];
  rollout: RolloutDraft;
}

function blankDraft(): Draft {
  const action = "PatchProfile";
  const schema = ACTION_SCHEMAS[action];
  return { name: "", enabled: true, schedule: initialState(), action, payload: schema ? [newEntry(schema)] : [], machines: [], rollout: rolloutDraft(null) };
}

function draftOf(job: Job): Draft {
  const step = job.Steps?.[0];
  const payload = (job.Payload ?? step?.Payload ?? []) as Record<string, unknown>[];
  return {
    name: job.Name,
    enabled: job.Enabled,
    schedule: fromSchedule(job.Schedule),
    action: job.Action ?? step?.Action ?? "",
    payload,
    machines: job.Machines ?? step?.Machines ?? [],
    rollout: rolloutDraft(job.Rollout),
  };
}

function Problems(props: { error: unknown }) {
  const e = props.error;
  if (!(e instanceof ApiError) || e.details.length === 0) return <ErrorBox error={e} />;
  return (
    <div class="error-box" role="alert">
      <strong>The gateway did not accept the job:</strong>
      <ul>
        {e.details.map((d, i) => (
          <li key={i}>
            {d.Message}
            {d.RelatedProperties?.length ? <span class="muted mono"> ({d.RelatedProperties.join(", ")})</span> : null}
          </li>
        ))}
      </ul>
    </div>
  );
}

export function JobFormPage(props: { jobId?: string }) {
  const editing = props.jobId !== undefined;
  const [draft, setDraft] = useState<Draft | undefined>(editing ? undefined : blankDraft());
  const [original, setOriginal] = useState<Job | undefined>(undefined);
  const [machines, setMachines] = useState<Machine[] | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [saveError, setSaveError] = useState<unknown>(undefined);
  const [saving, setSaving] = useState(false);

  useEffect(() => {
    listAll<Machine>(PLATFORM).then(setMachines, setLoadError);
    if (props.jobId) {
      api<Job>("GET", jobPath(props.jobId)).then((job) => {
        setOriginal(job);
        setDraft(draftOf(job));
      }, setLoadError);
    }
  }, [props.jobId]);

  if (loadError) return <ErrorBox error={loadError} title="Could not load the form" />;
  if (!draft || !machines) return <Loading />;
  const multiStep = (original?.Steps?.length ?? 0) > 1;
  const schema = ACTION_SCHEMAS[draft.action];
  const update = (patch: Partial<Draft>) => setDraft({ ...draft, ...patch });

  const submit = async (event: Event) => {
    event.preventDefault();
    setSaving(true);
    setSaveError(undefined);
    const rollout = toRollout(draft.rollout);
    // A job without waves sends no Rollout; an edit that turns them off removes the job's (null).
    const waves = rollout ? { Rollout: rollout } : original?.Rollout ? { Rollout: null } : {};
    const common = { Name: draft.name, Enabled: draft.enabled, Schedule: toSchedule(draft.schedule), ...waves };
    try {
      let job: Job;
      if (editing && original) {
        job = await api<Job>("PATCH", jobPath(original.Id), { body: multiStep ? common : { ...common, Machines: draft.machines, Payload: draft.payload } });
      } else {
        job = await api<Job>("POST", JOBS, { body: { ...common, Action: draft.action, Machines: draft.machines, Payload: draft.payload } });
      }
      live.refresh();
      navigate(href.job(job.Id));
    } catch (error) {
      setSaveError(error);
    } finally {
      setSaving(false);
    }
  };

  return (
    <form onSubmit={submit} class="job-form" noValidate>
      <PageHeader title={editing ? `Edit ${original?.Name ?? "job"}` : "New job"} subtitle={editing ? <span class="mono">{original?.Id}</span> : "Choose when it runs, what it does, and where."} />
      <section class="card">
        <h2>Job</h2>
        <div class="row">
          <label class="grow">
            Name
            <input type="text" required maxLength={128} value={draft.name} onInput={(e) => update({ name: e.currentTarget.value })} />
          </label>
          <label class="checkbox">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} />
            Enabled (runs on its schedule)
          </label>
        </div>
      </section>

      <section class="card">
        <h2>When</h2>
        <ScheduleBuilder state={draft.schedule} onChange={(schedule) => update({ schedule })} />
      </section>

      {multiStep ? (
        <section class="card">
          <h2>What and where</h2>
          <p class="muted">This job has {original?.Steps?.length} steps; change its steps through the API (PATCH with Steps). Name, schedule and Enabled can be changed here.</p>
        </section>
      ) : (
        <>
          <section class="card">
            <h2>What</h2>
            <label>
              Action
              <select value={draft.action} disabled={editing} onChange={(e) => {
                const action = e.currentTarget.value;
                const s = ACTION_SCHEMAS[action];
                update({ action, payload: s ? [newEntry(s)] : [] });
              }}>
                {(ACTIONS.includes(draft.action) ? ACTIONS : [draft.action, ...ACTIONS]).map((a) => (
                  <option key={a} value={a}>
                    {a}
                  </option>
                ))}
              </select>
            </label>
            {editing ? <p class="hint">A job's action is fixed; create another job for another action.</p> : null}
            {schema ? <PayloadForm schema={schema} value={draft.payload} onChange={(payload) => update({ payload })} /> : <p class="muted">This action has no payload form; its payload is kept as it is.</p>}
          </section>
          <section class="card">
            <h2>Where</h2>
            <MachinePicker machines={machines} selected={draft.machines} onChange={(ids) => update({ machines: ids })} />
          </section>
        </>
      )}

      <section class="card">
        <h2>Rollout</h2>
        <RolloutFields value={draft.rollout} onChange={(rollout) => update({ rollout })} />
      </section>

      <Problems error={saveError} />
      <div class="form-actions">
        <button type="submit" class="primary" disabled={saving}>
          {saving ? "Saving…" : editing ? "Save changes" : "Create job"}
        </button>
        <a class="button" href={editing && original ? href.job(original.Id) : href.jobs()}>
          Cancel
        </a>
      </div>
    </form>
  );
}
