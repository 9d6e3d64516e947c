/**
 * `shoal jobs ...`: the JobService's jobs over REST. Bodies are the API's
 * wire shapes (docs/api.md); a job can be made from a JSON file or from flags.
 */
import type { Args, Command, CommandGroup, Context } from "../command.js";
import { ExitCode, inputError, usageError } from "../exit-codes.js";
import { exitCodeFor, isFinalState, MACHINE_HEADERS, machineOutcomes, machineRow, outcomeLine, progressOf } from "../execution-view.js";
import { GatewayError, type GatewayResponse } from "../http.js";
import { readJsonFile } from "../input.js";
import { renderFields, statusStyle } from "../output.js";
import { ProgressBar } from "../progress.js";
import { followExecution } from "../follow-execution.js";
import { JOB_HEADERS, jobRow, lastRunText, workLines } from "../job-view.js";
import { printWarnings } from "../warnings.js";
import { jobBodyFromResource, looksLikeJobResource } from "../job-body.js";
import { alreadyRunningHints } from "../trigger-refused.js";
import { isObject, list, num, paths, splitList, str, strings, type Resource } from "../resources.js";
import { SCHEDULE_OPTIONS, buildSchedule, hasScheduleFlags, scheduleFlags, toWireSchedule } from "../schedule-flags.js";
import { planJob } from "./job-plan.js";

const ID = [{ name: "JOB_ID" }];

/** "PatchProfile on server-1, server-2" for each step (or the top-level Action/Machines). */
function stepsText(job: Resource): string {
  const steps = list(job, "Steps");
  const parts = steps.length > 0 ? steps.map((s) => ({ action: str(s, "Action"), machines: strings(s, "Machines") })) : [{ action: str(job, "Action"), machines: strings(job, "Machines") }];
  return parts
    .filter((p) => p.action !== null)
    .map((p) => {
      const shown = p.machines.slice(0, 5).join(", ");
      const more = p.machines.length > 5 ? ` and ${p.machines.length - 5} more` : "";
      return `${p.action} on ${shown}${more}`;
    })
    .join("; ");
}

function jobLine(job: Resource): string {
  const next = str(job, "NextRunTime");
  return `${str(job, "Id") ?? "?"} "${str(job, "Name") ?? ""}": ${str(job, "ScheduleDescription") ?? ""}${next ? `; next run ${next}` : ""} (${str(job, "Status") ?? "?"})`;
}

function printJob(ctx: Context, job: Resource): void {
  if (ctx.settings.json) {
    ctx.out.printJson(job);
    return;
  }
  const enabled = job.Enabled === false ? "no" : "yes";
  ctx.out.print(
    renderFields([
      ["Id", str(job, "Id")],
      ["Name", str(job, "Name")],
      ["Description", str(job, "Description")],
      ["Status", ctx.out.paint(str(job, "Status") ?? "-", statusStyle(str(job, "Status")))],
      ["Enabled", enabled],
      ["Schedule", str(job, "ScheduleDescription")],
      ["Next run", str(job, "NextRunTime")],
      ["Last run", lastRunText(job)],
      ["Runs", String(num(job, "ExecutionCount") ?? 0)],
      ["Work", stepsText(job)],
      ["Created", str(job, "CreatedTime")],
    ]),
  );
  const work = workLines(job);
  if (work.length > 0) ctx.out.print(["", "Work and payload:", ...work.map((l) => `  ${l}`)].join("\n"));
}

const listJobs: Command = {
  name: "list",
  summary: "List jobs",
  usage: "[--json]",
  async run(ctx) {
    const jobs = await ctx.client().members(paths.jobs);
    if (ctx.settings.json) {
      ctx.out.printJson(jobs);
      return ExitCode.Ok;
    }
    if (jobs.length === 0) {
      ctx.out.print("No jobs.");
      return ExitCode.Ok;
    }
    ctx.out.table(JOB_HEADERS, jobs.map(jobRow));
    return ExitCode.Ok;
  },
};

const getJob: Command = {
  name: "get",
  summary: "Show one job",
  usage: "JOB_ID [--json]",
  args: ID,
  async run(ctx, args) {
    printJob(ctx, await ctx.client().get(paths.job(args.arg(0))));
    return ExitCode.Ok;
  },
};

const CREATE_OPTIONS = {
  file: { type: "string", short: "f", value: "FILE", description: "the job body as JSON (MultiFish shape; see docs/api.md); - reads stdin" },
  name: { type: "string", value: "NAME", description: "job name" },
  description: { type: "string", value: "TEXT", description: "free text" },
  action: { type: "string", value: "ACTION", description: "PatchProfile, PatchManager, PatchFanController, PatchFanZone or PatchPidController" },
  machines: { type: "string", value: "IDS", description: "machine ids, comma-separated" },
  "payload-file": { type: "string", value: "FILE", description: 'the action payload as JSON ([{"ManagerID": "bmc", "Payload": {...}}])' },
  disabled: { type: "boolean", description: "create it paused" },
} as const;

async function bodyFromFlags(ctx: Context, args: Args): Promise<Resource> {
  const flags = scheduleFlags(args);
  const body: Resource = {
    Name: args.required("name", "(or give the whole body with -f FILE)"),
    Action: args.required("action"),
    Machines: splitList(args.required("machines")),
  };
  if ((body.Machines as string[]).length === 0) throw usageError("--machines: name at least one machine");
  const payloadFile = args.string("payload-file");
  if (payloadFile !== undefined) body.Payload = await readJsonFile(payloadFile, "--payload-file", ctx.io.stdin);
  const description = args.string("description");
  if (description !== undefined) body.Description = description;
  if (args.flag("disabled")) body.Enabled = false;
  if (!hasScheduleFlags(flags)) throw usageError("say when it runs: --at HH:MM [--days ...], --cron PATTERN or --manual (see shoal preview)");
  body.Schedule = toWireSchedule(buildSchedule(flags));
  return body;
}

const createJob: Command = {
  name: "create",
  summary: "Create a job from a JSON body or from flags",
  usage: "-f FILE\nshoal jobs create --name NAME --action ACTION --machines a,b [--payload-file FILE] SCHEDULE-FLAGS",
  details:
    "Schedule flags are those of `shoal preview`; try them there first.\n" +
    "The job body, the five actions' payloads and every error: docs/api.md in the Shoal repository\n" +
    "(sections Jobs and The five actions).",
  options: { ...CREATE_OPTIONS, ...SCHEDULE_OPTIONS },
  examples: [
    "shoal jobs create -f nightly.json",
    "shoal jobs create --name 'Nightly PowerSaver' --action PatchProfile --machines server-1,server-2 \\\n" +
      "    --payload-file profile.json --at 22:00 --days Mon-Fri --tz Asia/Taipei",
  ],
  async run(ctx, args) {
    const file = args.string("file");
    let body: unknown;
    if (file !== undefined) {
      const extra = ["name", "action", "machines", "payload-file", "description", "disabled", ...Object.keys(SCHEDULE_OPTIONS)].filter(
        (k) => args.values[k] !== undefined,
      );
      if (extra.length > 0) throw usageError(`-f takes the whole body; drop ${extra.map((k) => `--${k}`).join(", ")}`);
      body = await readJsonFile(file, "-f", ctx.io.stdin);
      if (!isObject(body)) throw inputError(`-f ${file}: a job body is a JSON object`);
      // `jobs get ID --json | jobs create -f -`: a job as the gateway shows it makes a copy.
      if (looksLikeJobResource(body)) body = jobBodyFromResource(body);
    } else {
      body = await bodyFromFlags(ctx, args);
    }
    const client = ctx.client();
    const response = await client.post(paths.jobs, body);
    const location = response.headers.get("location");
    const job = isObject(response.body) ? response.body : location ? await client.get(location) : {};
    printWarnings(ctx.out, response.body);
    if (ctx.settings.json) ctx.out.printJson(job);
    else ctx.out.print(`Created ${jobLine(job)}`);
    return ExitCode.Ok;
  },
};

const deleteJob: Command = {
  name: "delete",
  summary: "Delete a job (its result files stay)",
  usage: "JOB_ID",
  args: ID,
  async run(ctx, args) {
    const id = args.arg(0);
    await ctx.client().delete(paths.job(id));
    if (ctx.settings.json) ctx.out.printJson({ Id: id, Deleted: true });
    else ctx.out.print(`Deleted job ${id}`);
    return ExitCode.Ok;
  },
};

/** PATCHes a job and prints the result; the gateway may answer 200 with the job or 204 without. */
async function patchJob(ctx: Context, id: string, patch: Resource, verb: string): Promise<number> {
  const client = ctx.client();
  const response = await client.patch(paths.job(id), patch);
  const job = isObject(response.body) ? response.body : await client.get(paths.job(id));
  if (ctx.settings.json) ctx.out.printJson(job);
  else ctx.out.print(`${verb} ${jobLine(job)}`);
  return ExitCode.Ok;
}

const pauseJob: Command = {
  name: "pause",
  summary: "Stop a job firing on schedule (it can still be triggered)",
  usage: "JOB_ID",
  args: ID,
  run: (ctx, args) => patchJob(ctx, args.arg(0), { Enabled: false }, "Paused"),
};

const resumeJob: Command = {
  name: "resume",
  summary: "Let a paused job fire on schedule again",
  usage: "JOB_ID",
  args: ID,
  run: (ctx, args) => patchJob(ctx, args.arg(0), { Enabled: true }, "Resumed"),
};

const editJob: Command = {
  name: "edit",
  summary: "Change a job's schedule, name, machines or payload",
  usage: "JOB_ID [SCHEDULE-FLAGS | --schedule JSON] [--name NAME] [--description TEXT] [--machines a,b] [--payload-file FILE]\nshoal jobs edit JOB_ID -f patch.json",
  details: "Only what is given changes. An invalid change changes nothing.",
  args: ID,
  options: {
    file: { type: "string", short: "f", value: "FILE", description: "a PATCH body as JSON; - reads stdin" },
    schedule: { type: "string", value: "JSON", description: 'the wire Schedule as JSON (\'{"Type":"Cron","Cron":"0 6 * * 1-5"}\')' },
    name: CREATE_OPTIONS.name,
    description: CREATE_OPTIONS.description,
    machines: CREATE_OPTIONS.machines,
    "payload-file": CREATE_OPTIONS["payload-file"],
    ...SCHEDULE_OPTIONS,
  },
  examples: ["shoal jobs edit Job-123 --at 23:30 --days Mon-Fri", "shoal jobs edit Job-123 --machines server-1,server-3"],
  async run(ctx, args) {
    const id = args.arg(0);
    const file = args.string("file");
    const flags = scheduleFlags(args);
    let patch: Resource = {};
    if (file !== undefined) {
      const body = await readJsonFile(file, "-f", ctx.io.stdin);
      if (!isObject(body)) throw inputError(`-f ${file}: a PATCH body is a JSON object`);
      patch = body;
    }
    const scheduleJson = args.string("schedule");
    if (scheduleJson !== undefined && hasScheduleFlags(flags)) throw usageError("--schedule and schedule flags (--at, --cron, ...) do not mix");
    if (scheduleJson !== undefined) {
      try {
        patch.Schedule = JSON.parse(scheduleJson);
      } catch {
        throw usageError(`--schedule: not valid JSON`);
      }
    } else if (hasScheduleFlags(flags)) {
      patch.Schedule = toWireSchedule(buildSchedule(flags));
    }
    const name = args.string("name");
    if (name !== undefined) patch.Name = name;
    const description = args.string("description");
    if (description !== undefined) patch.Description = description;
    const machines = args.string("machines");
    if (machines !== undefined) patch.Machines = splitList(machines);
    const payloadFile = args.string("payload-file");
    if (payloadFile !== undefined) patch.Payload = await readJsonFile(payloadFile, "--payload-file", ctx.io.stdin);
    if (Object.keys(patch).length === 0) throw usageError("nothing to change: give schedule flags, --name, --machines, --payload-file or -f");
    return patchJob(ctx, id, patch, "Updated");
  },
};

const cancelJob: Command = {
  name: "cancel",
  summary: "Stop a job scheduling for good (a run in progress finishes)",
  usage: "JOB_ID",
  args: ID,
  async run(ctx, args) {
    const id = args.arg(0);
    const client = ctx.client();
    await client.post(paths.cancelJob(id), {});
    const job = await client.get(paths.job(id));
    if (ctx.settings.json) ctx.out.printJson(job);
    else ctx.out.print(`Cancelled ${jobLine(job)}`);
    return ExitCode.Ok;
  },
};

const triggerJob: Command = {
  name: "trigger",
  summary: "Run a job now; with --wait, follow it to the end",
  usage: "JOB_ID [--wait [--interval MS]] [--json]",
  details:
    "Without --wait: prints the new execution and exits 0.\n" +
    "With --wait: shows a progress bar on a terminal (none with --json, which prints only the final\n" +
    "execution), then exits 0 when every machine succeeded, 1 when any failed, 3 when the run was\n" +
    "cancelled or could not start. Ctrl-C stops waiting (exit 130); the execution carries on.",
  args: ID,
  options: {
    wait: { type: "boolean", short: "w", description: "follow the execution until it ends" },
    interval: { type: "string", value: "MS", description: "how often to ask while waiting (default 500)" },
  },
  async run(ctx, args) {
    const jobId = args.arg(0);
    const interval = args.integer("interval", 50, 60_000) ?? 500;
    const client = ctx.client();
    let response: GatewayResponse;
    try {
      response = await client.post(paths.triggerJob(jobId), {});
    } catch (error) {
      // 409 ResourceInUse: already running under overlap Skip. The run did not start.
      if (error instanceof GatewayError && error.status === 409) {
        throw new GatewayError(error.status, error.statusText, error.body, ExitCode.Unavailable, await alreadyRunningHints(client, jobId, error));
      }
      throw error;
    }
    const location = response.headers.get("location");
    let execution: Resource = isObject(response.body) ? response.body : location ? await client.get(location) : {};
    const executionPath = location ?? str(execution, "@odata.id");
    const executionId = str(execution, "Id") ?? "?";
    if (!args.flag("wait")) {
      if (ctx.settings.json) ctx.out.printJson(execution);
      else {
        ctx.out.print(`Triggered job ${jobId}: execution ${executionId} (${str(execution, "State") ?? "?"})`);
        ctx.out.note(`Follow it with: shoal executions follow ${jobId} ${executionId}`);
      }
      return ExitCode.Ok;
    }
    if (executionPath === null) throw new Error("the gateway did not say where the execution is (no Location)");

    const progress = new ProgressBar(ctx.io.stderr, { enabled: !ctx.settings.json, colour: ctx.out.stderrColour });
    const stop = new AbortController();
    const unregister = ctx.io.onInterrupt?.(() => stop.abort()) ?? (() => undefined);
    try {
      progress.update(progressOf(execution));
      execution = await followExecution(client, executionPath, execution, {
        intervalMs: interval,
        signal: stop.signal,
        onUpdate: (e) => progress.update(progressOf(e)),
      });
    } finally {
      unregister();
      progress.clear();
    }
    if (stop.signal.aborted && !isFinalState(execution)) {
      ctx.out.note(`Stopped waiting; execution ${executionId} carries on. Follow it again with: shoal executions follow ${jobId} ${executionId}`);
      return ExitCode.Interrupted;
    }
    if (ctx.settings.json) {
      ctx.out.printJson(execution);
      return exitCodeFor(execution);
    }
    ctx.out.print(`Execution ${executionId} of job ${jobId}: ${outcomeLine(execution)}`);
    const failures = machineOutcomes(execution).filter((o) => str(o.machine, "Status") === "Error");
    if (failures.length > 0) ctx.out.table(MACHINE_HEADERS, failures.map(machineRow));
    return exitCodeFor(execution);
  },
};

export const jobsGroup: CommandGroup = {
  name: "jobs",
  summary: "Create, list, change, trigger and delete jobs",
  commands: [listJobs, getJob, createJob, editJob, pauseJob, resumeJob, triggerJob, planJob, cancelJob, deleteJob],
};
