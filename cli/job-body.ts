/**
 * A job resource (what GET answers, `jobs get --json`) -> the body that
 * creates the same job: read-only fields dropped, and MultiFish's one-step
 * shape (Action, Machines, Payload) or Steps, never both. So
 * `shoal jobs get ID --json | shoal jobs create -f -` makes a copy, and
 * `shoal export` writes bodies `shoal apply` can send as they are.
 */
import { isObject, list, type Resource } from "./resources.js";

/** Whether a parsed file is a resource the gateway sent rather than a body a person wrote. */
export function looksLikeJobResource(body: Resource): boolean {
  return "@odata.id" in body || ("Id" in body && "Status" in body);
}

function stepBody(step: Resource): Resource {
  const out: Resource = {};
  for (const key of ["Name", "Action", "Machines", "Payload", "Mode", "ContinueOnFailure"]) {
    if (step[key] !== undefined && step[key] !== null) out[key] = step[key];
  }
  return out;
}

export function jobBodyFromResource(job: Resource): Resource {
  const body: Resource = {};
  for (const key of ["Name", "Description", "Enabled"]) {
    if (job[key] !== undefined && job[key] !== null) body[key] = job[key];
  }
  const steps = list(job, "Steps");
  const single = steps.length <= 1 && typeof job.Action === "string";
  const onlyStep = steps[0];
  const plainStep = onlyStep === undefined || ((onlyStep.Mode ?? "Sequential") === "Sequential" && onlyStep.ContinueOnFailure !== true);
  if (single && plainStep) {
    body.Action = job.Action;
    body.Machines = job.Machines;
    if (job.Payload !== undefined && job.Payload !== null) body.Payload = job.Payload;
  } else if (steps.length > 0) {
    body.Steps = steps.map(stepBody);
  }
  if (isObject(job.Schedule)) body.Schedule = job.Schedule;
  if (isObject(job.Policy)) body.Policy = job.Policy;
  return body;
}
