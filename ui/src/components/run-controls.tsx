/**
 * What can be done to a run, each offered only when the API allows it and
 * each asking once more: cancel one in progress, resume a halted rollout,
 * revert (a new run setting back what this one changed) a finished one.
 */
import { useState } from "preact/hooks";
import { isFinal, type Execution } from "../api/types.js";
import { cancelRun, resumeRun, revertRun } from "../live/actions.js";
import { href, navigate } from "../router.js";
import { ConfirmButton, ErrorBox } from "./common.js";
import type { Row } from "./run-machines.js";

/** The gateway reverts machines that succeeded and recorded both snapshots of a change. */
export function revertible(run: Execution, rows: Row[]): number {
  if (!isFinal(run)) return 0;
  return rows.filter((r) => r.Status === "Success" && r.Changed === true && r.Before && r.After).length;
}

export function RunControls(props: { jobId: string; run: Execution; rows: Row[] }) {
  const { jobId, run } = props;
  const [error, setError] = useState<unknown>(undefined);
  const act = async (what: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await what();
    } catch (e) {
      setError(e);
    }
  };
  const changed = revertible(run, props.rows);
  return (
    <div class="actions run-controls">
      {!isFinal(run) ? (
        <ConfirmButton label="Cancel run" danger confirmLabel="Yes, cancel it" question="Cancel this run?" onConfirm={() => act(() => cancelRun(jobId, run.Id))} />
      ) : null}
      {run.State === "Halted" ? (
        <ConfirmButton
          label="Resume rollout"
          confirmLabel="Yes, resume"
          question="Go on with the machines this rollout skipped?"
          onConfirm={() => act(() => resumeRun(jobId, run.Id))}
        />
      ) : null}
      {changed > 0 ? (
        <ConfirmButton
          label="Revert"
          danger
          confirmLabel="Yes, revert"
          question={`Set the ${changed} machine${changed === 1 ? "" : "s"} this run changed back to their values before it?`}
          onConfirm={() => act(async () => navigate(href.run(jobId, (await revertRun(jobId, run.Id)).Id)))}
        />
      ) : null}
      <ErrorBox error={error} />
    </div>
  );
}
