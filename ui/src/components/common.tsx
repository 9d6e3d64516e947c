/** Small pieces every page uses: headings, errors, badges, confirm buttons. */
import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";
import { errorText } from "../api/client.js";
import { outcomeOf, type Execution, type Outcome } from "../api/types.js";

export function PageHeader(props: { title: string; subtitle?: ComponentChildren; children?: ComponentChildren }) {
  return (
    <header class="page-header">
      <div>
        <h1>{props.title}</h1>
        {props.subtitle ? <p class="subtitle">{props.subtitle}</p> : null}
      </div>
      {props.children ? <div class="actions">{props.children}</div> : null}
    </header>
  );
}

export function ErrorBox(props: { error: unknown; title?: string }) {
  if (props.error === undefined || props.error === null) return null;
  return (
    <div class="error-box" role="alert">
      {props.title ? <strong>{props.title}: </strong> : null}
      {errorText(props.error)}
    </div>
  );
}

export function Loading(props: { what?: string }) {
  return (
    <p class="muted" role="status">
      Loading{props.what ? ` ${props.what}` : ""}…
    </p>
  );
}

const OUTCOME_LABEL: Record<Outcome, string> = { ok: "Succeeded", warning: "Warning", failed: "Failed", running: "Running", other: "" };

export function OutcomeBadge(props: { execution: Execution | undefined }) {
  const e = props.execution;
  if (!e) return <span class="muted">never run</span>;
  const outcome = outcomeOf(e);
  const label = outcome === "other" ? e.State : OUTCOME_LABEL[outcome];
  return <span class={`badge badge-${outcome}`}>{label}</span>;
}

export function StatusBadge(props: { status: string }) {
  const s = props.status;
  const kind = s === "Success" ? "ok" : s === "Error" || s === "Failed" ? "failed" : s === "Running" || s === "Pending" ? "running" : "other";
  return <span class={`badge badge-${kind}`}>{s}</span>;
}

/**
 * A button that asks once more before doing something that cannot be undone,
 * in place (no modal), so keyboard users stay where they were.
 */
export function ConfirmButton(props: { label: string; confirmLabel?: string; question: string; onConfirm: () => Promise<void> | void; danger?: boolean; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" class={props.danger ? "danger" : ""} disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <span class="confirm" role="group" aria-label={props.question}>
      <span>{props.question}</span>
      <button
        type="button"
        class={props.danger ? "danger" : "primary"}
        disabled={busy}
        ref={(el) => el?.focus()}
        onClick={async () => {
          setBusy(true);
          try {
            await props.onConfirm();
          } finally {
            setBusy(false);
            setAsking(false);
          }
        }}
      >
        {props.confirmLabel ?? `Yes, ${props.label.toLowerCase()}`}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        No
      </button>
    </span>
  );
}

export function Stat(props: { label: string; value: ComponentChildren; href?: string; tone?: string }) {
  const body = (
    <>
      <span class="stat-value">{props.value}</span>
      <span class="stat-label">{props.label}</span>
    </>
  );
  return props.href ? (
    <a class={`stat ${props.tone ?? ""}`} href={props.href}>
      {body}
    </a>
  ) : (
    <div class={`stat ${props.tone ?? ""}`}>{body}</div>
  );
}
