/** `shoal machines import FILE`: register (or update) many machines at once. */
import { readFile } from "node:fs/promises";
import type { Command } from "../command.js";
import { ExitCode, inputError } from "../exit-codes.js";
import { applyPlan, parseFleet, planFleet, type Change } from "../fleet.js";
import { readAll } from "../input.js";
import { machinesFromCsv, machinesFromJson } from "../machine-import.js";
import { PASSWORD_OPTIONS, passwordSource } from "../passwords.js";

export const importMachines: Command = {
  name: "import",
  summary: "Register or update many machines from a CSV or JSON file",
  usage: "FILE [--passwords-file FILE | --password-env NAME] [--dry-run]",
  details:
    "CSV: a header row with id, endpoint, bmc_user and optionally type, name, timeout, auth, insecure.\n" +
    'JSON: an array of machine objects, or a fleet file {"Machines": [...]}. - reads stdin (JSON or CSV).\n' +
    "Machines are matched by Id: created, updated or unchanged. Passwords never come from the file.",
  args: [{ name: "FILE" }],
  options: { ...PASSWORD_OPTIONS, "dry-run": { type: "boolean", description: "list what would change, change nothing" } },
  examples: ["shoal machines import rack7.csv --password-env BMC_PASSWORD"],
  async run(ctx, args) {
    const file = args.arg(0);
    let text: string;
    try {
      text = file === "-" ? await readAll(ctx.io.stdin) : await readFile(file, "utf8");
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw inputError(`${file}: ${code === "ENOENT" ? "no such file" : code ?? String(error)}`);
    }
    const trimmed = text.trimStart();
    let machines;
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (error) {
        throw inputError(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)})`);
      }
      machines = machinesFromJson(parsed, file);
    } else machines = machinesFromCsv(text, file);
    const fleet = parseFleet({ Machines: machines, Jobs: [] }, file);
    const passwords = await passwordSource(ctx, args);
    const client = ctx.client();
    const changes = await planFleet(client, fleet, { prune: false });
    const dryRun = args.flag("dry-run");
    if (!dryRun) await applyPlan(client, changes, passwords);
    if (ctx.settings.json) {
      ctx.out.printJson(changes.map((c) => ({ Id: c.name, Change: c.kind, Fields: c.fields ?? [], DryRun: dryRun })));
      return ExitCode.Ok;
    }
    const verb = (c: Change): string => (dryRun && c.kind !== "unchanged" ? `would be ${c.kind}d` : c.kind === "unchanged" ? "unchanged" : `${c.kind}d`);
    for (const c of changes) ctx.out.print(`machine ${c.name}: ${verb(c)}${c.fields ? ` (${c.fields.join(", ")})` : ""}`);
    ctx.out.print(`${changes.length} machines: ${changes.filter((c) => c.kind === "create").length} new, ${changes.filter((c) => c.kind === "update").length} updated`);
    return ExitCode.Ok;
  },
};
