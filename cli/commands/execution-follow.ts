/**
 * `shoal executions follow JOB_ID [EXECUTION_ID]`: a progress bar, then one
 * line per machine as it ends (failures in red on a terminal), until the run
 * ends. Attaches to a run already going (the newest when no id is given), so
 * Ctrl-C on `jobs trigger --wait` loses nothing.
 */
import type { Command } from "../command.js";
import { CliError, ExitCode } from "../exit-codes.js";
import { exitCodeFor, isFinalState, machineOutcomes, outcomeLine, progressOf, type MachineOutcome } from "../execution-view.js";
import { pollingSource } from "../execution-updates.js";
import { streamingSource } from "../execution-stream.js";
import { ProgressBar } from "../progress.js";
import { paths, str, type Resource } from "../resources.js";
import { newestExecutions } from "../running-execution.js";
import { statusStyle } from "../output.js";

const ENDED = new Set(["Success", "Error", "Skipped", "Cancelled", "Unknown"]);

function key(o: MachineOutcome): string {
  return `${o.step}\u0000${str(o.machine, "MachineId") ?? ""}`;
}

export const followExecutionCommand: Command = {
  name: "follow",
  summary: "Follow a run to its end: progress, then a line per machine as it ends",
  usage: "JOB_ID [EXECUTION_ID] [--interval MS] [--json]",
  details:
    "Without EXECUTION_ID, follows the job's newest run. A run that has ended is shown at once.\n" +
    "Exits as `jobs trigger --wait` does: 0 all machines ok, 1 some failed, 3 cancelled or not started;\n" +
    "Ctrl-C stops following (130), the run carries on. --json prints one JSON line per machine as it ends.\n" +
    "Listens to the gateway's event stream; polls every --interval MS when the gateway has none.",
  args: [{ name: "JOB_ID" }, { name: "EXECUTION_ID", optional: true }],
  options: { interval: { type: "string", value: "MS", description: "how often to ask a gateway that has no event stream (default 500)" } },
  examples: ["shoal executions follow Job-0mwtaxbzw-000jevh2"],
  async run(ctx, args) {
    const jobId = args.arg(0);
    const client = ctx.client();
    const interval = args.integer("interval", 50, 60_000) ?? 500;
    let execution: Resource;
    if (args.positionals.length > 1) {
      execution = await client.get(paths.execution(jobId, args.arg(1)));
    } else {
      const [newest] = await newestExecutions(client, jobId, 1);
      if (!newest) throw new CliError(ExitCode.Usage, [`job ${jobId} has no executions yet; start one with: shoal jobs trigger ${jobId} --wait`]);
      execution = newest;
    }
    const executionId = str(execution, "Id") ?? "?";
    const path = str(execution, "@odata.id") ?? paths.execution(jobId, executionId);
    if (!ctx.settings.json) ctx.out.note(`Following execution ${executionId} of job ${jobId} (${str(execution, "State") ?? "?"})`);

    const seen = new Set<string>();
    const progress = new ProgressBar(ctx.io.stderr, { enabled: !ctx.settings.json, colour: ctx.out.stderrColour });
    const printEnded = (snapshot: Resource): void => {
      for (const o of machineOutcomes(snapshot)) {
        const status = str(o.machine, "Status") ?? "";
        if (!ENDED.has(status) || seen.has(key(o))) continue;
        seen.add(key(o));
        progress.clear();
        if (ctx.settings.json) {
          ctx.out.print(JSON.stringify({ Step: o.step, Action: o.action, ...o.machine }));
          continue;
        }
        const detail = [str(o.machine, "ErrorType"), str(o.machine, "Message")].filter((s) => s).join(": ");
        const line = `${o.step || o.action}  ${str(o.machine, "MachineId") ?? "?"}  ${status}${detail ? `  ${detail}` : ""}`;
        ctx.out.print(status === "Error" ? ctx.out.paint(line, statusStyle(status)) : line);
      }
      progress.update(progressOf(snapshot));
    };

    const stop = new AbortController();
    const unregister = ctx.io.onInterrupt?.(() => stop.abort()) ?? (() => undefined);
    try {
      printEnded(execution);
      const updates = streamingSource(client, path, { fallback: pollingSource(client, path, interval) });
      for await (const snapshot of updates(execution, stop.signal)) {
        execution = snapshot;
        printEnded(snapshot);
      }
    } finally {
      unregister();
      progress.clear();
    }
    if (stop.signal.aborted && !isFinalState(execution)) {
      ctx.out.note(`Stopped following; execution ${executionId} carries on. Again: shoal executions follow ${jobId} ${executionId}`);
      return ExitCode.Interrupted;
    }
    if (!ctx.settings.json) ctx.out.print(`Execution ${executionId} of job ${jobId}: ${outcomeLine(execution)}`);
    return exitCodeFor(execution);
  },
};
