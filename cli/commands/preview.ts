/**
 * `shoal preview`: what a schedule built from flags means and when it runs.
 * Pure arithmetic, done locally with the core library; no gateway needed.
 */
import { describeSchedule, hostZone, nextRuns } from "../../src/schedule/index.js";
import type { Command, CommandGroup } from "../command.js";
import { ExitCode, inputError, usageError } from "../exit-codes.js";
import { SCHEDULE_OPTIONS, buildSchedule, scheduleFlags, toWireSchedule } from "../schedule-flags.js";
import { rfc3339, wallClock } from "../time-format.js";

const preview: Command = {
  name: "",
  summary: "Show a schedule as a sentence and list its next runs (no gateway needed)",
  usage: "--at HH:MM [--days Mon,Wed,Fri] [--days-of-month 1,15,L] [--from DATE] [--to DATE] [--tz ZONE] [--count N]\n" +
    "shoal preview --at HH:MM (--date DATE | --once) [--tz ZONE]\n" +
    "shoal preview --cron PATTERN [--tz ZONE] [--count N]",
  details:
    "The same flags build the schedule of `shoal jobs create` and `shoal jobs edit`.\n" +
    "With --json: {\"Schedule\": <the wire Schedule>, \"Description\": ..., \"NextRunTimes\": [...]}, as the\n" +
    "gateway's JobService.PreviewSchedule action answers.",
  options: {
    ...SCHEDULE_OPTIONS,
    count: { type: "string", value: "N", description: "how many runs to list (default 5, at most 1000)" },
    after: { type: "string", value: "TIME", description: "list runs after this instant (RFC 3339; default now)" },
  },
  examples: [
    "shoal preview --at 22:00 --days Mon,Wed,Fri --from 2026-02-10 --to 2026-12-31 --tz Asia/Taipei",
    "shoal preview --at 08:00 --days-of-month 1,15,L --count 3",
    'shoal preview --cron "0 6 * * 1-5" --tz Europe/Berlin --json',
  ],
  async run(ctx, args) {
    const count = args.integer("count", 1, 1000) ?? 5;
    const afterText = args.string("after");
    const after = afterText === undefined ? new Date() : new Date(afterText);
    if (Number.isNaN(after.getTime())) throw usageError(`--after: "${afterText}" is not an instant (2026-02-10T22:00:00Z)`);
    const schedule = buildSchedule(scheduleFlags(args), { now: after });
    const zone = schedule.type === "Manual" ? localZone() : schedule.timeZone ?? localZone();
    const description = describeSchedule(schedule, { timeZone: zone });
    const runs = nextRuns(schedule, count, { after, timeZone: zone });
    if (ctx.settings.json) {
      ctx.out.printJson({ Schedule: toWireSchedule(schedule), Description: description, NextRunTimes: runs.map(rfc3339) });
      return ExitCode.Ok;
    }
    ctx.out.print(description);
    if (schedule.type === "Manual") return ExitCode.Ok;
    if (runs.length === 0) {
      ctx.out.print("No runs remain.");
      return ExitCode.Ok;
    }
    ctx.out.print(runs.length === 1 ? "Next run:" : `Next ${runs.length} runs:`);
    for (const run of runs) ctx.out.print(`  ${wallClock(run, zone)}  ${ctx.out.paint(`(${rfc3339(run)})`, "dim")}`);
    if (runs.length < count) ctx.out.print("No more runs after these.");
    return ExitCode.Ok;
  },
};

/** The host's zone; a TZ the system does not know is the user's to fix, so it is named with --tz as the way out. */
function localZone(): string {
  try {
    return hostZone();
  } catch (error) {
    throw inputError(`${error instanceof Error ? error.message : String(error)} (or pass --tz ZONE)`);
  }
}

export const previewGroup: CommandGroup = {
  name: "preview",
  summary: preview.summary,
  commands: [preview],
  defaultCommand: "",
};
