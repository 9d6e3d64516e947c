/** `shoal machines edit ID`: change what the gateway stores about a BMC (only what is given). */
import type { Command } from "../command.js";
import { ExitCode, usageError } from "../exit-codes.js";
import { rethrowNamingFlags } from "../flag-errors.js";
import { readSecret } from "../input.js";
import { isObject, paths, str, type Resource } from "../resources.js";
import { MACHINE_FLAGS } from "../machine-flags.js";

export const editMachine: Command = {
  name: "edit",
  summary: "Change a machine's endpoint, BMC user or password, Type, timeout or auth method",
  usage: "MACHINE_ID [--endpoint URL] [--bmc-user USER] [--password-stdin] [--type Base|Extend] [--timeout S] [--auth Basic|Session] [--name NAME]",
  details: "Only what is given changes. The BMC password is read from stdin, never from the command line.",
  args: [{ name: "MACHINE_ID" }],
  options: {
    endpoint: { type: "string", value: "URL", description: "the BMC's base URL" },
    "bmc-user": { type: "string", value: "USER", description: "the BMC's user name" },
    "password-stdin": { type: "boolean", description: "read the BMC password from the first line of stdin" },
    type: { type: "string", value: "TYPE", description: "Base (standard Redfish) or Extend (OpenBMC fan OEM)" },
    timeout: { type: "string", value: "S", description: "BMC request timeout in seconds" },
    auth: { type: "string", value: "METHOD", description: "Basic (credentials on every request) or Session (one Redfish session)" },
    name: { type: "string", value: "NAME", description: "a display name" },
  },
  examples: ["printf %s \"$BMC_PW\" | shoal machines edit server-1 --bmc-user admin --password-stdin", "shoal machines edit server-1 --endpoint https://10.0.0.6 --timeout 10"],
  async run(ctx, args) {
    const id = args.arg(0);
    const patch: Resource = {};
    const endpoint = args.string("endpoint");
    if (endpoint !== undefined) patch.Endpoint = endpoint;
    const user = args.string("bmc-user");
    if (user !== undefined) patch.Username = user;
    const type = args.string("type");
    if (type !== undefined) {
      if (type !== "Base" && type !== "Extend") throw usageError(`--type must be Base or Extend, not "${type}"`);
      patch.Type = type;
    }
    const auth = args.string("auth");
    if (auth !== undefined) {
      if (auth !== "Basic" && auth !== "Session") throw usageError(`--auth must be Basic or Session, not "${auth}"`);
      patch.AuthMethod = auth;
    }
    const timeout = args.integer("timeout", 1, 3600);
    if (timeout !== undefined) patch.HTTPClientTimeout = timeout;
    const name = args.string("name");
    if (name !== undefined) patch.Name = name;
    if (args.flag("password-stdin")) patch.Password = await readSecret(ctx.io.stdin, "--password-stdin");
    if (Object.keys(patch).length === 0) throw usageError("nothing to change: give --endpoint, --bmc-user, --password-stdin, --type, --timeout, --auth or --name");
    const client = ctx.client();
    const response = await client.patch(paths.machine(id), patch).catch((e: unknown) => rethrowNamingFlags(e, MACHINE_FLAGS));
    const machine = isObject(response.body) ? response.body : await client.get(paths.machine(id));
    if (ctx.settings.json) ctx.out.printJson(machine);
    else ctx.out.print(`Updated machine ${id}: ${Object.keys(patch).map((k) => (k === "Password" ? "Password (not shown)" : k)).join(", ")}`);
    if (str(machine, "Id") === null) ctx.out.note("the gateway answered without the machine");
    return ExitCode.Ok;
  },
};
