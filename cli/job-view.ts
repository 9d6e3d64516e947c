/**
 * How a job resource reads in `jobs list` and `jobs get`: what the job is
 * doing (Status), when it runs next, how its last run went (LastRun, or
 * MultiFish's LastRunTime alone from a gateway without it), and its work
 * with the payloads.
 */
import { statusStyle, type Cell } from "./output.js";
import { list, obj, str, strings, type Resource } from "./resources.js";
import { shortTime } from "./time-format.js";

export const JOB_HEADERS = ["id", "name", "status", "next run", "last run", "last outcome", "schedule"];

/** "OK", "Warning", "Critical" for a run that completed; otherwise its state ("Failed", "Cancelled"...). */
export function lastOutcome(job: Resource): string | null {
  const run = obj(job, "LastRun");
  if (!run) return null;
  const state = str(run, "State");
  return state === "Completed" ? str(run, "Health") ?? state : state;
}

export function jobRow(job: Resource): Cell[] {
  const outcome = lastOutcome(job);
  const run = obj(job, "LastRun");
  return [
    str(job, "Id") ?? "",
    str(job, "Name") ?? "",
    { text: str(job, "Status") ?? "", style: statusStyle(str(job, "Status")) },
    shortTime(job.NextRunTime),
    shortTime(run ? run.EndTime : job.LastRunTime),
    { text: outcome ?? "-", style: statusStyle(outcome) },
    str(job, "ScheduleDescription") ?? "",
  ];
}

/** "Completed, health Warning (Exec-..., ended 2026-...)" */
export function lastRunText(job: Resource): string | null {
  const run = obj(job, "LastRun");
  if (!run) return str(job, "LastRunTime");
  const parts = [str(run, "State"), str(run, "Health") ? `health ${str(run, "Health")}` : null].filter((p) => p !== null).join(", ");
  const where = [str(run, "Id"), str(run, "EndTime") ? `ended ${str(run, "EndTime")}` : null].filter((p) => p !== null).join(", ");
  return where ? `${parts} (${where})` : parts;
}

interface StepView {
  name: string | null;
  action: string | null;
  machines: string[];
  payload: unknown;
}

function stepsOf(job: Resource): StepView[] {
  const steps = list(job, "Steps");
  if (steps.length > 0) return steps.map((s) => ({ name: str(s, "Name"), action: str(s, "Action"), machines: strings(s, "Machines"), payload: s.Payload }));
  return [{ name: null, action: str(job, "Action"), machines: strings(job, "Machines"), payload: job.Payload }];
}

/** One block per step: its action, machines and payload (the JSON, indented), for `jobs get`. */
export function workLines(job: Resource): string[] {
  const lines: string[] = [];
  for (const step of stepsOf(job).filter((s) => s.action !== null)) {
    lines.push(`${step.name ? `${step.name}: ` : ""}${step.action} on ${step.machines.join(", ")}`);
    if (step.payload !== undefined && step.payload !== null) {
      lines.push(...JSON.stringify(step.payload, null, 2).split("\n").map((l) => `  ${l}`));
    }
  }
  return lines;
}
