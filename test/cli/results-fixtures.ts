/** Result files shaped as REDFISH.md "Result files" says, for tests of `shoal results`. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { tempDir as makeTempDir } from "../helpers/temp-dir.js";

export interface ResultSpec {
  job?: string;
  machine: string;
  action?: string;
  ok?: boolean;
  /** End of the task. */
  at: Date;
  duration?: string;
  errorType?: string;
  message?: string;
}

export function tempDir(prefix = "shoal-results-"): string {
  return makeTempDir(prefix);
}

function stamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replace(/-/g, "")}_${iso.slice(11, 19).replace(/:/g, "")}`;
}

export function resultName(spec: ResultSpec): string {
  return `${spec.job ?? "Job-1"}_${spec.machine}_${spec.action ?? "PatchProfile"}_${stamp(spec.at)}_${spec.ok === false ? "error" : "success"}.json`;
}

export function writeResult(dir: string, spec: ResultSpec): string {
  const ok = spec.ok !== false;
  const ended = spec.at.toISOString().replace(/\.\d{3}Z$/, "Z");
  const content: Record<string, unknown> = {
    job_id: spec.job ?? "Job-1",
    machine_id: spec.machine,
    action: spec.action ?? "PatchProfile",
    timestamp: ended,
    status: ok ? "Success" : "Error",
    message: spec.message ?? (ok ? "Profile set to PowerSaver" : "BMC refused the request"),
    duration: spec.duration ?? "120ms",
    payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
    execution_id: "Exec-1",
    step: "patch",
    attempts: 1,
    started_at: ended,
    ended_at: ended,
    requests: [{ method: "PATCH", uri: "/redfish/v1/Managers/bmc", status: ok ? 200 : 400, duration_ms: 41 }],
  };
  if (!ok) {
    content.error_type = spec.errorType ?? "HttpError";
    content.error_detail = "400 Bad Request";
  }
  const name = resultName(spec);
  writeFileSync(join(dir, name), JSON.stringify(content, null, 2));
  return name;
}
