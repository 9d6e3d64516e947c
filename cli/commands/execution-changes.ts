/** `shoal executions revert|resume`: undo what a run changed, or go on with a halted rollout. */
import type { Command, Context, Args } from "../command.js";
import { ExitCode } from "../exit-codes.js";
import { exitCodeFor, isFinalState, outcomeLine } from "../execution-view.js";
import { followExecution } from "../follow-execution.js";
import { isObject, paths, str, type Resource } from "../resources.js";

const WAIT_OPTIONS = {
  wait: { type: "boolean", short: "w", description: "follow the execution until it ends" },
  interval: { type: "string", value: "MS", description: "how often to ask while waiting (default 500)" },
} as const;

/** POSTs the action, then prints the execution it started (or resumed), following it with --wait. */
async function act(ctx: Context, args: Args, action: "Revert" | "Resume"): Promise<number> {
  const [jobId, executionId] = [args.arg(0), args.arg(1)];
  const client = ctx.client();
  const response = await client.post(`${paths.execution(jobId, executionId)}/Actions/${action}`, {});
  const location = response.headers.get("location");
  let execution: Resource = isObject(response.body) ? response.body : location ? await client.get(location) : {};
  const id = str(execution, "Id") ?? "?";
  if (args.flag("wait") && location !== null) {
    const stop = new AbortController();
    const unregister = ctx.io.onInterrupt?.(() => stop.abort()) ?? (() => undefined);
    try {
      execution = await followExecution(client, location, execution, { intervalMs: args.integer("interval", 50, 60_000) ?? 500, signal: stop.signal });
    } finally {
      unregister();
    }
    if (stop.signal.aborted && !isFinalState(execution)) return ExitCode.Interrupted;
  }
  if (ctx.settings.json) ctx.out.printJson(execution);
  else ctx.out.print(`${action === "Revert" ? `Revert of ${executionId}` : `Resumed`}: execution ${id} of job ${jobId}: ${outcomeLine(execution)}`);
  return args.flag("wait") ? exitCodeFor(execution) : ExitCode.Ok;
}

export const revertExecution: Command = {
  name: "revert",
  summary: "Start a run that sets back what an execution changed (machines changed since are left alone)",
  usage: "JOB_ID EXECUTION_ID [--wait] [--json]",
  args: [{ name: "JOB_ID" }, { name: "EXECUTION_ID" }],
  options: WAIT_OPTIONS,
  run: (ctx, args) => act(ctx, args, "Revert"),
};

export const resumeExecution: Command = {
  name: "resume",
  summary: "Go on with a halted rollout: its skipped machines, in the same execution",
  usage: "JOB_ID EXECUTION_ID [--wait] [--json]",
  args: [{ name: "JOB_ID" }, { name: "EXECUTION_ID" }],
  options: WAIT_OPTIONS,
  run: (ctx, args) => act(ctx, args, "Resume"),
};
