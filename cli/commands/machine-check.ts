/** `shoal machines check ID... | --all`: is each machine ready for a job? */
import type { Command } from "../command.js";
import { ExitCode, usageError } from "../exit-codes.js";
import { checkMachine, type MachineReport } from "../machine-check.js";
import type { Cell } from "../output.js";
import { paths } from "../resources.js";

function yesNo(value: boolean | null): Cell {
  if (value === null) return "-";
  return value ? { text: "yes", style: "green" } : { text: "NO", style: "red" };
}

function managersText(report: MachineReport): string {
  return report.Managers.map((m) => {
    const parts = [m.FanControllers ? `controllers ${m.FanControllers.join(", ") || "none"}` : null, m.FanZones ? `zones ${m.FanZones.join(", ") || "none"}` : null].filter((p) => p !== null);
    return parts.length > 0 ? `${m.Id} (${parts.join("; ")})` : m.Id;
  }).join("; ");
}

export const checkMachines: Command = {
  name: "check",
  summary: "Contact each machine's BMC through the gateway: reachable, credentials, Type, fans",
  usage: "MACHINE_ID... | --all [--json]",
  details:
    "Reads each BMC with the credentials the gateway stores, as a job would: reachable, credentials\n" +
    "accepted, Type right (an Extend machine has OpenBMC's fan OEM resources), and each manager's fan\n" +
    "controllers and zones. Exits 0 when every machine is ready, 1 when any is not.",
  args: [{ name: "MACHINE_ID", optional: true }, ...Array.from({ length: 99 }, () => ({ name: "MACHINE_ID", optional: true }))],
  options: { all: { type: "boolean", description: "every registered machine" } },
  examples: ["shoal machines check --all", "shoal machines check server-1 server-2 --json"],
  async run(ctx, args) {
    const client = ctx.client();
    const named = args.positionals;
    if (named.length > 0 && args.flag("all")) throw usageError("name machines or give --all, not both");
    if (named.length === 0 && !args.flag("all")) throw usageError("name the machines to check, or give --all");
    const machines = args.flag("all") ? await client.members(paths.machines) : await Promise.all(named.map((id) => client.get(paths.machine(id))));
    const reports: MachineReport[] = [];
    for (const machine of machines) reports.push(await checkMachine(client, machine));
    const ready = reports.every((r) => r.Problem === null);
    if (ctx.settings.json) {
      ctx.out.printJson(reports);
      return ready ? ExitCode.Ok : ExitCode.MachinesFailed;
    }
    if (reports.length === 0) {
      ctx.out.print("No machines.");
      return ExitCode.Ok;
    }
    ctx.out.table(
      ["machine", "type", "reachable", "credentials", "type ok", "managers"],
      reports.map((r) => [r.Id, r.Type ?? "-", yesNo(r.Reachable), yesNo(r.CredentialsAccepted), yesNo(r.TypeMatches), managersText(r) || "-"]),
    );
    for (const r of reports.filter((x) => x.Problem !== null)) ctx.out.warn(`${r.Id}: ${r.Problem}`);
    return ready ? ExitCode.Ok : ExitCode.MachinesFailed;
  },
};
