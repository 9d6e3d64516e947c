/** `shoal jobs plan JOB_ID`: a dry run, printed as a per-machine diff. */
import type { Command } from "../command.js";
import { ExitCode } from "../exit-codes.js";
import { isObject, list, obj, paths, str, type Resource } from "../resources.js";

const OUTCOMES = ["Change", "NoChange", "Refused", "Unreachable"] as const;

function shown(value: unknown): string {
  return value === undefined || value === null ? "(none)" : typeof value === "string" ? value : JSON.stringify(value);
}

/** "  Oem/OpenBmc/Fan/Profile: Performance -> PowerSaver (manager bmc)" per change. */
function diffLines(member: Resource): string[] {
  return list(member, "Changes").map((c) => {
    const manager = str(c, "ManagerID");
    return `    ${str(c, "Property") ?? "?"}: ${shown(c.Current)} -> ${shown(c.Desired)}${manager ? ` (manager ${manager})` : ""}`;
  });
}

export const planJob: Command = {
  name: "plan",
  summary: "Dry run: read every machine and show what a run would change, sending nothing",
  usage: "JOB_ID [--machine ID ...] [--json]",
  details:
    "Each machine is Change (with the properties that would change), NoChange (already as desired:\n" +
    "a run sends it nothing), Refused (the run would refuse it) or Unreachable. Exits 0 when every\n" +
    "machine is Change or NoChange, 1 when any is Refused or Unreachable.",
  args: [{ name: "JOB_ID" }],
  options: { machine: { type: "string", multiple: true, value: "ID", description: "plan only this machine (repeatable)" } },
  async run(ctx, args) {
    const client = ctx.client();
    const machines = (args.values.machine as string[] | undefined) ?? [];
    const response = await client.post(`${paths.job(args.arg(0))}/Actions/Plan`, machines.length > 0 ? { Machines: machines } : {});
    const first: Resource = isObject(response.body) ? response.body : {};
    // A large plan pages: the rest is read from the plan the gateway kept.
    const members: Resource[] = [];
    for (let page: Resource | null = first; page !== null; ) {
      const batch = list(page, "Members");
      members.push(...batch);
      const next = str(page, "Members@odata.nextLink");
      page = next !== null && batch.length > 0 ? await client.get(next) : null;
    }
    const counts = obj(first, "Counts") ?? {};
    const trouble = (Number(counts.Refused) || 0) + (Number(counts.Unreachable) || 0);
    if (ctx.settings.json) {
      ctx.out.printJson({ ...first, Members: members });
      return trouble > 0 ? ExitCode.MachinesFailed : ExitCode.Ok;
    }
    for (const m of members) {
      const outcome = str(m, "Outcome") ?? "?";
      const message = outcome === "Refused" || outcome === "Unreachable" ? `: ${str(m, "Message") ?? ""}` : "";
      ctx.out.print(`${str(m, "MachineId") ?? "?"}  ${outcome}${message}`);
      for (const line of diffLines(m)) ctx.out.print(line);
    }
    ctx.out.print();
    ctx.out.print(OUTCOMES.map((o) => `${o} ${Number(counts[o]) || 0}`).join(", "));
    return trouble > 0 ? ExitCode.MachinesFailed : ExitCode.Ok;
  },
};
