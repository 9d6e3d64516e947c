/** `shoal executions ...`: a job's run history and per-machine outcomes. */
import type { Command, CommandGroup } from "../command.js";
import { ExitCode } from "../exit-codes.js";
import { elapsed, formatDuration } from "../durations.js";
import { MACHINE_HEADERS, machineCounts, machineOutcomes, machineRow, outcomeLine } from "../execution-view.js";
import { renderFields, statusStyle } from "../output.js";
import { isObject, paths, str } from "../resources.js";
import { shortTime } from "../time-format.js";
import { resumeExecution, revertExecution } from "./execution-changes.js";
import { followExecutionCommand } from "./execution-follow.js";

const listExecutions: Command = {
  name: "list",
  summary: "List a job's executions, newest first (also: shoal executions JOB_ID)",
  usage: "JOB_ID [--last N] [--json]",
  args: [{ name: "JOB_ID" }],
  options: { last: { type: "string", value: "N", description: "only the newest N (default 20)" } },
  async run(ctx, args) {
    const last = args.integer("last", 1, 10_000) ?? 20;
    const executions = await ctx.client().members(paths.executions(args.arg(0)), { limit: last });
    if (ctx.settings.json) {
      ctx.out.printJson(executions);
      return ExitCode.Ok;
    }
    if (executions.length === 0) {
      ctx.out.print(`No executions of job ${args.arg(0)} yet.`);
      return ExitCode.Ok;
    }
    ctx.out.table(
      ["id", "state", "health", "trigger", "started", "duration", "machines", "failed"],
      executions.map((e) => {
        const c = machineCounts(e);
        const ms = elapsed(e.StartTime, e.EndTime);
        return [
          str(e, "Id") ?? "",
          { text: str(e, "State") ?? "", style: statusStyle(str(e, "State")) },
          { text: str(e, "Health") ?? "-", style: statusStyle(str(e, "Health")) },
          str(e, "Trigger") ?? "",
          shortTime(e.StartTime),
          ms === null ? "-" : formatDuration(ms),
          String(c.machines),
          { text: String(c.failed), style: c.failed > 0 ? "red" : undefined },
        ];
      }),
    );
    return ExitCode.Ok;
  },
};

const showExecution: Command = {
  name: "show",
  summary: "Show one execution with a row per machine",
  usage: "JOB_ID EXECUTION_ID [--failed] [--json]",
  args: [{ name: "JOB_ID" }, { name: "EXECUTION_ID" }],
  options: { failed: { type: "boolean", description: "only the machines that failed" } },
  async run(ctx, args) {
    const execution = await ctx.client().get(paths.execution(args.arg(0), args.arg(1)));
    if (ctx.settings.json) {
      ctx.out.printJson(execution);
      return ExitCode.Ok;
    }
    ctx.out.print(
      renderFields([
        ["Execution", str(execution, "Id")],
        ["Job", str(execution, "JobId")],
        ["Outcome", outcomeLine(execution)],
        ["Trigger", [str(execution, "Trigger"), str(execution, "InitiatedBy")].filter((s) => s).join(" by ")],
        ["Scheduled", str(execution, "ScheduledTime")],
        ["Started", str(execution, "StartTime")],
        ["Ended", str(execution, "EndTime")],
      ]),
    );
    const outcomes = machineOutcomes(execution).filter((o) => !args.flag("failed") || str(o.machine, "Status") === "Error");
    if (outcomes.length > 0) {
      ctx.out.print();
      ctx.out.table(MACHINE_HEADERS, outcomes.map(machineRow));
    }
    return ExitCode.Ok;
  },
};

const cancelExecution: Command = {
  name: "cancel",
  summary: "Cancel a running execution (queued machines are dropped, in-flight ones aborted)",
  usage: "JOB_ID EXECUTION_ID",
  args: [{ name: "JOB_ID" }, { name: "EXECUTION_ID" }],
  async run(ctx, args) {
    const client = ctx.client();
    const response = await client.post(paths.cancelExecution(args.arg(0), args.arg(1)), {});
    const execution = isObject(response.body) && str(response.body, "Id") !== null
      ? response.body
      : await client.get(paths.execution(args.arg(0), args.arg(1)));
    if (ctx.settings.json) ctx.out.printJson(execution);
    else ctx.out.print(`Cancel requested for execution ${args.arg(1)}: ${str(execution, "State") ?? "?"}`);
    return ExitCode.Ok;
  },
};

export const executionsGroup: CommandGroup = {
  name: "executions",
  summary: "A job's executions and their per-machine outcomes",
  commands: [listExecutions, showExecution, followExecutionCommand, cancelExecution, revertExecution, resumeExecution],
  defaultCommand: "list",
};
