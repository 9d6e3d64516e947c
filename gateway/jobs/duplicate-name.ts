/**
 * Two enabled jobs with one name are allowed (ids tell them apart) but are
 * usually a mistake: a script run twice, or a copy meant to replace the
 * original. Creation then answers 201 with a Warning entry naming the others.
 */
import type { Job } from "../../src/jobs/types.js";
import type { Scheduler } from "../../src/scheduler/scheduler.js";
import { extendedInfo, type ExtendedInfo } from "../redfish/errors.js";

const NAMED_AT_MOST = 5;

export function duplicateNameWarning(scheduler: Scheduler, job: Job): ExtendedInfo | undefined {
  if (!job.enabled || job.name === "") return undefined;
  const others: string[] = [];
  // Read in place: every job is looked at, and copying each (some span thousands of machines) was most of the cost.
  for (const other of scheduler.readJobs()) {
    if (other.enabled && other.id !== job.id && other.name === job.name && !other.cancelled) others.push(other.id);
  }
  if (others.length === 0) return undefined;
  const named = others.slice(0, NAMED_AT_MOST).join(", ") + (others.length > NAMED_AT_MOST ? ` and ${others.length - NAMED_AT_MOST} more` : "");
  const entry = extendedInfo({
    key: "GeneralError",
    message: `The job was created, but enabled job${others.length > 1 ? "s" : ""} ${named} already ha${others.length > 1 ? "ve" : "s"} the name '${job.name}'.`,
    relatedProperties: ["#/Name"],
    resolution: `If the new job replaces ${others.length > 1 ? "them" : "it"}, pause or delete the old one; otherwise give one of them another Name.`,
  });
  return { ...entry, Severity: "Warning", MessageSeverity: "Warning" };
}
