/** `shoal export` and `shoal apply`: the fleet's machines and jobs as one file, kept in git. */
import type { Command, CommandGroup } from "../command.js";
import { ExitCode } from "../exit-codes.js";
import { applyPlan, exportFleet, parseFleet, planFleet, type Change } from "../fleet.js";
import { readJsonFile } from "../input.js";
import { PASSWORD_OPTIONS, passwordSource } from "../passwords.js";

const exportCommand: Command = {
  name: "",
  summary: "Print the gateway's machines and jobs as a fleet file (no passwords)",
  usage: "> fleet.json",
  details: 'Writes {"Machines": [...], "Jobs": [...]} on stdout: machines without passwords, jobs as creation bodies.\nApply it elsewhere (or later) with: shoal apply -f fleet.json',
  examples: ["shoal export > fleet.json"],
  async run(ctx) {
    ctx.out.printJson(await exportFleet(ctx.client()));
    return ExitCode.Ok;
  },
};

function changeLine(c: Change, dryRun: boolean): string {
  const what = c.resource === "machine" ? `machine ${c.name}` : `job "${c.name}"${c.id ? ` (${c.id})` : ""}`;
  const verb = { create: "created", update: "updated", unchanged: "unchanged", delete: "deleted" }[c.kind];
  const would = dryRun && c.kind !== "unchanged" ? `would be ${verb}` : verb;
  return `${what}: ${would}${c.kind === "update" && c.fields ? ` (${c.fields.join(", ")})` : ""}`;
}

const applyCommand: Command = {
  name: "",
  summary: "Make the gateway's machines and jobs match a fleet file",
  usage: "-f fleet.json [--prune] [--dry-run] [--passwords-file FILE | --password-env NAME]",
  details:
    "Machines are matched by Id, jobs by Name: each is created, updated (only what differs) or left\n" +
    "unchanged, and listed as such. --prune also deletes the jobs and machines the file does not list.\n" +
    "--dry-run lists what would change and changes nothing. New machines need their BMC password from\n" +
    "--passwords-file or --password-env; the fleet file never holds passwords.",
  options: {
    file: { type: "string", short: "f", value: "FILE", description: "the fleet file (shoal export writes one); - reads stdin" },
    prune: { type: "boolean", description: "delete jobs and machines the file does not list" },
    "dry-run": { type: "boolean", description: "list what would change, change nothing" },
    ...PASSWORD_OPTIONS,
  },
  examples: ["shoal export > fleet.json", "shoal apply -f fleet.json --dry-run", "shoal apply -f fleet.json --prune --passwords-file bmc-passwords.json"],
  async run(ctx, args) {
    const file = args.required("file");
    const fleet = parseFleet(await readJsonFile(file, "-f", ctx.io.stdin), file);
    const passwords = await passwordSource(ctx, args);
    const client = ctx.client();
    const dryRun = args.flag("dry-run");
    const changes = await planFleet(client, fleet, { prune: args.flag("prune") });
    if (!dryRun) await applyPlan(client, changes, passwords);
    if (ctx.settings.json) {
      ctx.out.printJson(changes.map((c) => ({ Resource: c.resource, Name: c.name, Id: c.id ?? null, Change: c.kind, Fields: c.fields ?? [], DryRun: dryRun })));
    } else {
      for (const c of changes) ctx.out.print(changeLine(c, dryRun));
      const count = (k: Change["kind"]): number => changes.filter((c) => c.kind === k).length;
      ctx.out.print(`${dryRun ? "Would apply" : "Applied"}: ${count("create")} created, ${count("update")} updated, ${count("unchanged")} unchanged, ${count("delete")} deleted`);
    }
    return ExitCode.Ok;
  },
};

export const exportGroup: CommandGroup = { name: "export", summary: exportCommand.summary, commands: [exportCommand], defaultCommand: "" };
export const applyGroup: CommandGroup = { name: "apply", summary: applyCommand.summary, commands: [applyCommand], defaultCommand: "" };
