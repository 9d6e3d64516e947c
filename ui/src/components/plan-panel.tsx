/**
 * A job's plan (dry run) as a table: per machine its outcome, each property a
 * run would set with its current and desired value, and the gateway's
 * message; counts per outcome, and pages read from the plan the gateway keeps.
 */
import { useEffect, useState } from "preact/hooks";
import { makePlan, PLAN_PAGE, planPage } from "../api/plan.js";
import type { Plan, PlanMember, PlanOutcome } from "../api/types.js";
import { FromTo, PropertyName } from "./changes.js";
import { ErrorBox, Loading } from "./common.js";

const OUTCOMES: PlanOutcome[] = ["Change", "NoChange", "Refused", "Unreachable"];
const BADGE: Record<PlanOutcome, string> = { Change: "running", NoChange: "other", Refused: "failed", Unreachable: "warning" };
const LABEL: Record<PlanOutcome, string> = { Change: "Change", NoChange: "No change", Refused: "Refused", Unreachable: "Unreachable" };

function MemberRows(props: { member: PlanMember }) {
  const m = props.member;
  const changes = m.Changes.length > 0 ? m.Changes : [undefined];
  const span = changes.length;
  const managers = new Set(m.Changes.map((c) => c.ManagerID));
  return (
    <>
      {changes.map((c, i) => (
        <tr key={i} class={m.Outcome === "Refused" || m.Outcome === "Unreachable" ? "row-failed" : ""}>
          {i === 0 ? (
            <>
              <th scope="row" rowSpan={span} class="mono">
                {m.MachineId}
              </th>
              <td rowSpan={span}>
                <span class={`badge badge-${BADGE[m.Outcome] ?? "other"}`}>{LABEL[m.Outcome] ?? m.Outcome}</span>
              </td>
            </>
          ) : null}
          <td>{c ? <PropertyName manager={c.ManagerID} path={c.Property} showManager={managers.size > 1} /> : <span class="muted">—</span>}</td>
          <td>{c ? <FromTo from={c.Current} to={c.Desired} /> : null}</td>
          {i === 0 ? (
            <td rowSpan={span} class="message">
              {m.Message ?? ""}
            </td>
          ) : null}
        </tr>
      ))}
    </>
  );
}

/** Plans the job when shown (and again on `attempt` changing); pages through the kept plan. */
export function PlanPanel(props: { jobId: string; attempt: number; onClose: () => void }) {
  const [plan, setPlan] = useState<Plan | undefined>(undefined);
  const [skip, setSkip] = useState(0);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<unknown>(undefined);

  useEffect(() => {
    let alive = true;
    setBusy(true);
    setError(undefined);
    setSkip(0);
    makePlan(props.jobId)
      .then((p) => {
        if (alive) setPlan(p);
      }, (e: unknown) => {
        if (alive) setError(e);
      })
      .finally(() => alive && setBusy(false));
    return () => {
      alive = false;
    };
  }, [props.jobId, props.attempt]);

  const go = async (to: number) => {
    if (!plan) return;
    setBusy(true);
    setError(undefined);
    try {
      setPlan(await planPage(plan, to));
      setSkip(to);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const total = plan?.["Members@odata.count"] ?? 0;
  return (
    <section class="card flush" aria-labelledby="plan-title" aria-busy={busy}>
      <div class="pad plan-head">
        <h2 id="plan-title">Plan: what a run would change</h2>
        <button type="button" class="link" onClick={props.onClose}>
          Close the plan
        </button>
      </div>
      <p class="plan-note muted small">Every machine was read as a run reads it; nothing was sent to any BMC.</p>
      {error ? (
        <div class="plan-note">
          <ErrorBox error={error} title="The plan failed" />
        </div>
      ) : null}
      {!plan ? (
        busy ? <div class="pad"><Loading what="the plan (reading every machine)" /></div> : null
      ) : (
        <>
          <ul class="plan-counts plan-note" aria-label="Machines per outcome">
            {OUTCOMES.map((o) => (
              <li key={o} data-outcome={o}>
                <span class={`badge badge-${BADGE[o]}`}>{LABEL[o]}</span> <strong>{plan.Counts[o] ?? 0}</strong>
              </li>
            ))}
          </ul>
          <table class="plan-table">
            <thead>
              <tr>
                <th scope="col">Machine</th>
                <th scope="col">Outcome</th>
                <th scope="col">Property</th>
                <th scope="col">Current → Desired</th>
                <th scope="col">Message</th>
              </tr>
            </thead>
            <tbody>
              {plan.Members.map((m) => (
                <MemberRows key={`${m.Step ?? ""}/${m.MachineId}`} member={m} />
              ))}
            </tbody>
          </table>
          {total > PLAN_PAGE ? (
            <nav class="pager" aria-label="Plan pages">
              <span class="muted" aria-live="polite">
                Machines {total === 0 ? 0 : skip + 1}–{Math.min(skip + plan.Members.length, total)} of {total}
              </span>
              <button type="button" disabled={busy || skip === 0} onClick={() => go(Math.max(0, skip - PLAN_PAGE))}>
                Previous
              </button>
              <button type="button" disabled={busy || skip + PLAN_PAGE >= total} onClick={() => go(skip + PLAN_PAGE)}>
                Next
              </button>
            </nav>
          ) : null}
        </>
      )}
    </section>
  );
}
