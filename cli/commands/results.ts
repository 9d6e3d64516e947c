/**
 * `shoal results`: what happened on the machines, read from the result files
 * in logs/ without the gateway. Streams the directory; keeps in memory only
 * the newest --last rows for the table and a per-machine slowest time.
 */
import type { Command, CommandGroup } from "../command.js";
import { ExitCode, inputError, usageError } from "../exit-codes.js";
import { formatDuration, parseSince } from "../durations.js";
import { statusStyle, type Cell } from "../output.js";
import { checkDirectory, scanResults, type ResultFilter, type ResultRecord } from "../result-files.js";
import { shortTime } from "../time-format.js";

/** Odd files named one by one before the rest are only counted. */
const WARN_LIMIT = 20;
const DEFAULT_LAST = 50;

/** The newest `limit` records seen, oldest first; memory stays O(limit). */
export class NewestRecords {
  private readonly limit: number;
  private items: ResultRecord[] = [];

  constructor(limit: number) {
    this.limit = limit;
  }

  add(record: ResultRecord): void {
    this.items.push(record);
    // Trim in bulk at twice the limit: amortised O(log n) per record, not a sort per record.
    if (this.items.length >= this.limit * 2) this.trim();
  }

  private trim(): void {
    this.items.sort(compareByTime);
    if (this.items.length > this.limit) this.items = this.items.slice(this.items.length - this.limit);
  }

  list(): ResultRecord[] {
    this.trim();
    return this.items;
  }
}

function compareByTime(a: ResultRecord, b: ResultRecord): number {
  const d = a.timeMs - b.timeMs;
  return d !== 0 && !Number.isNaN(d) ? d : a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/** Counts and each machine's slowest task, for the one-line summary. */
export class ResultSummary {
  total = 0;
  ok = 0;
  failed = 0;
  private readonly slowest = new Map<string, number>();

  add(record: ResultRecord): void {
    this.total++;
    if (record.status.toLowerCase() === "success") this.ok++;
    else this.failed++;
    if (record.durationMs !== null) {
      const before = this.slowest.get(record.machineId);
      if (before === undefined || record.durationMs > before) this.slowest.set(record.machineId, record.durationMs);
    }
  }

  slowestMachines(n: number): { machine: string; ms: number }[] {
    return [...this.slowest.entries()]
      .map(([machine, ms]) => ({ machine, ms }))
      .sort((a, b) => b.ms - a.ms || (a.machine < b.machine ? -1 : 1))
      .slice(0, n);
  }

  line(): string {
    if (this.total === 0) return "No results.";
    const slow = this.slowestMachines(3).map((s) => `${s.machine} ${formatDuration(s.ms)}`);
    return `${this.total} result${this.total === 1 ? "" : "s"}: ${this.ok} ok, ${this.failed} failed${slow.length > 0 ? `; slowest: ${slow.join(", ")}` : ""}`;
  }
}

function errorText(record: ResultRecord): string {
  if (record.status.toLowerCase() === "success") return "";
  return [record.errorType, record.message].filter((s) => s !== null).join(": ");
}

function row(record: ResultRecord): Cell[] {
  return [
    shortTime(record.time),
    record.jobId,
    record.machineId,
    record.action,
    { text: record.status, style: statusStyle(record.status) },
    record.durationMs === null ? "-" : formatDuration(record.durationMs),
    errorText(record),
  ];
}

/** Each record's file content plus its file name, which scripts need to open it. */
function jsonItem(record: ResultRecord): Record<string, unknown> {
  return { file: record.file, ...record.content };
}

const results: Command = {
  name: "",
  summary: "Read the result files in logs/ directly (no gateway needed): a table and a summary",
  usage: "[--dir DIR] [--job ID] [--machine ID] [--action ACTION] [--status success|error] [--since 2h] [--last N] [--json]",
  details:
    "Reads one file at a time, so a directory of 100 000 files is fine. Files that are not result\n" +
    "files (not JSON, empty, other names) are skipped with a warning on stderr; execution summaries\n" +
    "and hidden files are passed over quietly.\n" +
    "The table shows the newest --last results (default 50), oldest first, and the summary line\n" +
    "counts every match. --json prints every match as one array, in directory order (sorted, the\n" +
    "newest N, with --last N).",
  options: {
    dir: { type: "string", value: "DIR", description: "result directory (default: env LOGS_DIR, else ./logs)" },
    job: { type: "string", value: "ID", description: "only this job" },
    machine: { type: "string", value: "ID", description: "only this machine" },
    action: { type: "string", value: "ACTION", description: "only this action (PatchProfile, ...)" },
    status: { type: "string", value: "STATUS", description: "success or error" },
    since: { type: "string", value: "WHEN", description: "only results since: a duration back from now (30m, 2h, 1d) or a date/time" },
    last: { type: "string", value: "N", description: `show the newest N (default ${DEFAULT_LAST} in the table, all with --json)` },
  },
  examples: ["shoal results --since 2h --status error", "shoal results --job Job-123 --json | jq length"],
  async run(ctx, args) {
    const dir = args.string("dir") ?? ctx.io.env.LOGS_DIR ?? "logs";
    const status = args.string("status");
    if (status !== undefined && !["success", "error"].includes(status.toLowerCase())) {
      throw usageError(`--status must be success or error, not "${status}"`);
    }
    const sinceText = args.string("since");
    const since = sinceText === undefined ? undefined : parseSince(sinceText, new Date());
    if (since === null) throw usageError(`--since: "${sinceText}" is neither a duration (30m, 2h, 1d) nor a date (2026-02-10)`);
    const lastOption = args.integer("last", 1, 1_000_000);
    const filter: ResultFilter = {
      job: args.string("job"),
      machine: args.string("machine"),
      action: args.string("action"),
      status: status?.toLowerCase(),
      since,
    };
    try {
      await checkDirectory(dir);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw inputError(`--dir ${dir}: ${code === "ENOENT" ? "no such directory" : code === "ENOTDIR" ? "not a directory" : String(error)}`);
    }

    let skipped = 0;
    const onSkip = (file: string, reason: string): void => {
      skipped++;
      if (skipped <= WARN_LIMIT) ctx.out.warn(`skipped ${file}: ${reason}`);
    };
    const summary = new ResultSummary();
    const json = ctx.settings.json;
    const newest = json && lastOption === undefined ? null : new NewestRecords(lastOption ?? DEFAULT_LAST);
    let written = 0;
    for await (const record of scanResults(dir, { filter, onSkip })) {
      summary.add(record);
      if (newest) newest.add(record);
      else {
        // --json without --last: stream the array, one element as soon as it is read.
        await ctx.out.write(`${written === 0 ? "[\n" : ",\n"}${indent(JSON.stringify(jsonItem(record), null, 2))}`);
        written++;
      }
    }
    if (skipped > WARN_LIMIT) ctx.out.warn(`skipped ${skipped - WARN_LIMIT} more odd files`);

    if (json) {
      if (newest) ctx.out.printJson(newest.list().map(jsonItem));
      else await ctx.out.write(written === 0 ? "[]\n" : "\n]\n");
      return ExitCode.Ok;
    }
    const rows = newest?.list() ?? [];
    if (rows.length > 0) {
      ctx.out.table(["time", "job", "machine", "action", "status", "duration", "error"], rows.map(row));
    }
    const shown = rows.length < summary.total ? ` (table: newest ${rows.length}; --last N for more)` : "";
    const odd = skipped > 0 ? `; ${skipped} odd file${skipped === 1 ? "" : "s"} skipped` : "";
    ctx.out.print(`${summary.line()}${odd}${shown}`);
    return ExitCode.Ok;
  },
};

function indent(text: string): string {
  return text.replace(/^/gm, "  ");
}

export const resultsGroup: CommandGroup = {
  name: "results",
  summary: "Read result files from logs/ (no gateway needed)",
  commands: [results],
  defaultCommand: "",
};
