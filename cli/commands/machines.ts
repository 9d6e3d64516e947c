/** `shoal machines ...`: the Platform registry of BMCs. Passwords go in, never come out. */
import type { Command, CommandGroup } from "../command.js";
import { ExitCode, usageError } from "../exit-codes.js";
import { withQuery } from "../http.js";
import { readSecret } from "../input.js";
import { rethrowNamingFlags } from "../flag-errors.js";
import { MACHINE_FLAGS } from "../machine-flags.js";
import { checkMachine } from "../machine-check.js";
import { checkMachines } from "./machine-check.js";
import { editMachine } from "./machine-edit.js";
import { importMachines } from "./machine-import.js";
import { renderFields } from "../output.js";
import { isObject, num, paths, str, type Resource } from "../resources.js";

const ID = [{ name: "MACHINE_ID" }];


const listMachines: Command = {
  name: "list",
  summary: "List registered machines",
  usage: "[--json]",
  async run(ctx) {
    const machines = await ctx.client().members(paths.machines);
    if (ctx.settings.json) {
      ctx.out.printJson(machines);
      return ExitCode.Ok;
    }
    if (machines.length === 0) {
      ctx.out.print("No machines.");
      return ExitCode.Ok;
    }
    ctx.out.table(
      ["id", "type", "endpoint", "user", "name"],
      machines.map((m) => [str(m, "Id") ?? "", str(m, "Type") ?? "", str(m, "Endpoint") ?? "", str(m, "Username") ?? "", str(m, "Name") ?? ""]),
    );
    return ExitCode.Ok;
  },
};

function printMachine(m: Resource): string {
  return renderFields([
    ["Id", str(m, "Id")],
    ["Name", str(m, "Name")],
    ["Type", str(m, "Type")],
    ["Endpoint", str(m, "Endpoint")],
    ["Username", str(m, "Username")],
    ["Insecure TLS", m.Insecure === true ? "yes" : "no"],
    ["Timeout", num(m, "HTTPClientTimeout") === null ? null : `${num(m, "HTTPClientTimeout")}s`],
  ]);
}

const getMachine: Command = {
  name: "get",
  summary: "Show one machine",
  usage: "MACHINE_ID [--json]",
  args: ID,
  async run(ctx, args) {
    const machine = await ctx.client().get(paths.machine(args.arg(0)));
    if (ctx.settings.json) ctx.out.printJson(machine);
    else ctx.out.print(printMachine(machine));
    return ExitCode.Ok;
  },
};

const addMachine: Command = {
  name: "add",
  summary: "Register a machine (its BMC need not be up)",
  usage: "--id ID --endpoint URL --bmc-user USER --password-stdin [--type Base|Extend] [--name NAME] [--insecure] [--timeout S]",
  details:
    "The BMC password is read from stdin, never from the command line (it would show in `ps`).\n" +
    "--bmc-user is the BMC's user; --user is, as everywhere, the gateway's own user.",
  options: {
    id: { type: "string", value: "ID", description: "machine id (letters, digits, . _ -; it ends up in file names)" },
    endpoint: { type: "string", value: "URL", description: "the BMC's base URL (https://10.0.0.5)" },
    "bmc-user": { type: "string", value: "USER", description: "the BMC's user name" },
    "password-stdin": { type: "boolean", description: "read the BMC password from the first line of stdin" },
    type: { type: "string", value: "TYPE", description: "Base (standard Redfish) or Extend (OpenBMC fan OEM)" },
    name: { type: "string", value: "NAME", description: "a display name" },
    insecure: { type: "boolean", description: "skip TLS certificate checks for this BMC" },
    timeout: { type: "string", value: "S", description: "BMC request timeout in seconds (gateway default 30)" },
    check: { type: "boolean", description: "then contact the BMC as `shoal machines check` does (exit 1 when it is not ready)" },
  },
  examples: ["printf %s \"$BMC_PW\" | shoal machines add --id server-1 --endpoint https://10.0.0.5 --bmc-user admin --password-stdin --type Extend"],
  async run(ctx, args) {
    if (args.string("bmc-user") === undefined && args.string("user") !== undefined) {
      throw usageError("--bmc-user USER names the BMC's user; --user is the gateway's own user (its password in env SHOAL_PASSWORD)");
    }
    const body: Resource = {
      Id: args.required("id"),
      Endpoint: args.required("endpoint"),
      Username: args.required("bmc-user"),
    };
    const type = args.string("type");
    if (type !== undefined) {
      if (type !== "Base" && type !== "Extend") throw usageError(`--type must be Base or Extend, not "${type}"`);
      body.Type = type;
    }
    const name = args.string("name");
    if (name !== undefined) body.Name = name;
    if (args.flag("insecure")) body.Insecure = true;
    const timeout = args.integer("timeout", 1, 3600);
    if (timeout !== undefined) body.HTTPClientTimeout = timeout;
    if (args.flag("password-stdin")) body.Password = await readSecret(ctx.io.stdin, "--password-stdin");
    const client = ctx.client();
    const response = await client.post(paths.machines, body).catch((e: unknown) => rethrowNamingFlags(e, MACHINE_FLAGS));
    const location = response.headers.get("location");
    const machine = isObject(response.body) ? response.body : location ? await client.get(location) : body;
    if (ctx.settings.json) ctx.out.printJson(machine);
    else ctx.out.print(`Registered ${str(machine, "Id") ?? body.Id} (${str(machine, "Type") ?? "?"}, ${str(machine, "Endpoint") ?? ""})`);
    if (!args.flag("check")) return ExitCode.Ok;
    const report = await checkMachine(client, machine);
    if (report.Problem === null) {
      if (!ctx.settings.json) ctx.out.print(`Checked: reachable, credentials accepted, Type ${report.Type ?? "?"} right (managers: ${report.Managers.map((m) => m.Id).join(", ")})`);
      return ExitCode.Ok;
    }
    ctx.out.warn(`${report.Id}: registered, but ${report.Problem}`);
    return ExitCode.MachinesFailed;
  },
};

const removeMachine: Command = {
  name: "remove",
  summary: "Unregister a machine",
  usage: "MACHINE_ID [--force]",
  details: "A machine a job still targets is kept unless --force.",
  args: ID,
  options: { force: { type: "boolean", description: "remove it even though jobs target it" } },
  async run(ctx, args) {
    const id = args.arg(0);
    const path = args.flag("force") ? withQuery(paths.machine(id), { force: "true" }) : paths.machine(id);
    await ctx.client().delete(path);
    if (ctx.settings.json) ctx.out.printJson({ Id: id, Deleted: true });
    else ctx.out.print(`Removed machine ${id}`);
    return ExitCode.Ok;
  },
};

export const machinesGroup: CommandGroup = {
  name: "machines",
  summary: "Register, list, edit, check and remove machines (BMCs)",
  commands: [listMachines, getMachine, addMachine, importMachines, editMachine, checkMachines, removeMachine],
};
