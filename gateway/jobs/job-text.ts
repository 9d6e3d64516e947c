/**
 * GET job's answer as JSON text, the same JSON as jobResource's object, for
 * a job read in place (Scheduler.readJob). A job over thousands of machines
 * is tens of kilobytes of definition: copying, hashing and serialising it on
 * every GET took most of the main thread's time answering a client that polls
 * the job during its own fan-out. The definition's parts (and the ETag) are
 * rendered once per job object, which the scheduler replaces on every change
 * of definition, enabled or cancelled state; only the fields runs change
 * (Status, LastRunTime, LastRun, NextRunTime, ExecutionCount) are rendered
 * per GET.
 */
import type { Job } from "../../src/jobs/types.js";
import { definitionFields, headFields, jobEtag, jobStatus, linkFields, runFields, type JobView } from "./job-resource.js";

interface RenderedDefinition {
  /** `{"@odata.type":...,"Enabled":true` */
  head: string;
  /** `"Machines":[...],...,"CreatedTime":"..."` */
  definition: string;
  /** `"Executions":{...},"Actions":{...}}` */
  links: string;
}

export interface JobText {
  etag: string;
  json: string;
}

/** JSON text of an object without its closing brace, or without its opening one. */
function open(value: Record<string, unknown>): string {
  return JSON.stringify(value).slice(0, -1);
}

function inner(value: Record<string, unknown>): string {
  return JSON.stringify(value).slice(1, -1);
}

/**
 * One per gateway (a job object belongs to one scheduler, whose time zone the
 * schedule's description reads); entries go with the job objects they render.
 */
export class JobTexts {
  private readonly rendered = new WeakMap<Readonly<Job>, RenderedDefinition>();

  constructor(private readonly describe: (job: Readonly<Job>) => string) {}

  /** The job's resource as text and its ETag; `view` carries what the scheduler knows of its runs. */
  render(job: Readonly<Job>, view: Pick<JobView, "running" | "lastRun">): JobText {
    const parts = this.definitionOf(job);
    const status = jobStatus(job, view);
    const runs = inner(runFields(job, view, status));
    // jobEtag keeps its own tag per job object: no second copy of it here.
    return { etag: jobEtag(job), json: `${parts.head},"Status":${JSON.stringify(status)},${parts.definition},${runs},${parts.links}` };
  }

  private definitionOf(job: Readonly<Job>): RenderedDefinition {
    let parts = this.rendered.get(job);
    if (parts === undefined) {
      parts = {
        head: open(headFields(job)),
        definition: inner(definitionFields(job, this.describe(job))),
        links: JSON.stringify(linkFields(job)).slice(1),
      };
      this.rendered.set(job, parts);
    }
    return parts;
  }
}
