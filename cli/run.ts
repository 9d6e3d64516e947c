/**
 * The dispatcher: finds the command in the words of argv, parses its options
 * strictly with node:util parseArgs, runs it, and turns whatever it throws
 * into stderr lines and an exit code. `main.ts` calls this with the real
 * process; tests call it with captured streams.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Args, findCommand, type Command, type CommandGroup, type Context, type OptionSpecs, type RawValues } from "./command.js";
import { CliError, ExitCode, usageError } from "./exit-codes.js";
import { GLOBAL_OPTIONS } from "./global-options.js";
import { commandHelp, groupHelp, topHelp } from "./help.js";
import { DEFAULT_URL, GatewayClient } from "./http.js";
import type { CliIo } from "./io.js";
import { Output } from "./output.js";
import { executionsGroup } from "./commands/executions.js";
import { applyGroup, exportGroup } from "./commands/fleet.js";
import { jobsGroup } from "./commands/jobs.js";
import { machinesGroup } from "./commands/machines.js";
import { previewGroup } from "./commands/preview.js";
import { resultsGroup } from "./commands/results.js";
import { serveGroup } from "./commands/serve.js";
import { subscriptionsGroup } from "./commands/subscriptions.js";

export const GROUPS: CommandGroup[] = [jobsGroup, executionsGroup, machinesGroup, exportGroup, applyGroup, previewGroup, resultsGroup, serveGroup, subscriptionsGroup];

type ParseConfig = Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }>;

function parseConfig(...specs: OptionSpecs[]): ParseConfig {
  const config: ParseConfig = {};
  for (const spec of specs) {
    for (const [name, option] of Object.entries(spec)) {
      config[name] = { type: option.type };
      if (option.short) config[name].short = option.short;
      if (option.multiple) config[name].multiple = true;
    }
  }
  return config;
}

interface Located {
  values: RawValues;
  /** Positional words with their argv index. */
  words: { index: number; value: string }[];
}

/** A forgiving parse, only to find the command words; unknown options are checked later. */
function locate(argv: string[], options: ParseConfig): Located {
  const { values, tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const words = tokens.flatMap((t) => (t.kind === "positional" ? [{ index: t.index, value: t.value }] : []));
  return { values: values as RawValues, words };
}

/** parseArgs' messages are long; keep the part that names the problem. */
function parseErrorMessage(error: unknown): string {
  const err = error as Error & { code?: string };
  const named = /'(-[^' ]*)/.exec(err.message)?.[1];
  switch (err.code) {
    case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
      return `unknown option ${named ?? err.message}`;
    case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
      return named ? `option ${named} ${/argument missing/.test(err.message) ? "needs a value" : "takes no value"}` : err.message;
    default:
      return err.message;
  }
}

function version(): string {
  try {
    const pkg: unknown = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
    if (typeof pkg === "object" && pkg !== null && "version" in pkg && typeof pkg.version === "string") return pkg.version;
  } catch {
    // fall through
  }
  return "unknown";
}

function makeContext(io: CliIo, out: Output, values: RawValues, shadowed: string[]): Context {
  const str = (name: string): string | undefined =>
    !shadowed.includes(name) && typeof values[name] === "string" ? (values[name] as string) : undefined;
  const url = str("url") ?? io.env.SHOAL_URL ?? DEFAULT_URL;
  let client: GatewayClient | undefined;
  return {
    io,
    out,
    settings: { url, json: values.json === true },
    client() {
      if (client) return client;
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw usageError(`--url: "${url}" is not a URL (http://127.0.0.1:8080)`);
      }
      if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw usageError(`--url: "${url}" is not an http(s) URL`);
      const user = str("user") ?? io.env.SHOAL_USER;
      const token = str("token") ?? io.env.SHOAL_TOKEN;
      const password = io.env.SHOAL_PASSWORD;
      if (user !== undefined && password === undefined && token === undefined) {
        throw usageError("--user needs the password in env SHOAL_PASSWORD");
      }
      client = new GatewayClient({ url, credentials: { user, password, token } });
      return client;
    },
  };
}

function report(error: unknown, out: Output, helpFor: string | null): number {
  if (error instanceof CliError) {
    for (const line of error.lines) out.error(line);
    if (error.usageHint && helpFor) out.note(`Run '${helpFor} --help' for usage.`);
    if (out.json && error.jsonBody !== undefined) out.printJson(error.jsonBody);
    return error.exitCode;
  }
  const message = error instanceof Error ? error.message : String(error);
  out.error(`unexpected error: ${message}`);
  if (out.json === false && process.env.SHOAL_DEBUG && error instanceof Error && error.stack) out.note(error.stack);
  return ExitCode.Unavailable;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const early = locate(argv, parseConfig(GLOBAL_OPTIONS, { version: { type: "boolean", description: "" } }));
  const out = new Output(io, { json: early.values.json === true, noColor: early.values["no-color"] === true });
  let helpFor: string | null = "shoal";
  try {
    const groupWord = early.words[0];
    if (!groupWord) {
      if (early.values.version === true) {
        out.print(version());
        return ExitCode.Ok;
      }
      if (early.values.help === true) {
        out.print(topHelp(GROUPS));
        return ExitCode.Ok;
      }
      out.note(topHelp(GROUPS));
      return ExitCode.Usage;
    }
    if (groupWord.value === "help") {
      // `shoal help jobs create` is `shoal jobs create --help`.
      const rest = argv.filter((_, i) => i !== groupWord.index);
      return await runCli(rest.length > 0 ? [...rest, "--help"] : ["--help"], io);
    }
    const group = GROUPS.find((g) => g.name === groupWord.value);
    if (!group) throw usageError(`unknown command "${groupWord.value}"`);
    helpFor = `shoal ${group.name}`;

    const located = locate(argv, parseConfig(GLOBAL_OPTIONS, ...group.commands.map((c) => c.options ?? {})));
    const commandWord = located.words[1];
    let command: Command | undefined = findCommand(group, commandWord?.value);
    const consumed = new Set<number>([groupWord.index]);
    if (command && commandWord) consumed.add(commandWord.index);
    else if (group.defaultCommand !== undefined && (commandWord !== undefined || group.commands.length === 1)) {
      command = findCommand(group, group.defaultCommand);
    }
    if (!command) {
      if (located.values.help === true) {
        out.print(groupHelp(group));
        return ExitCode.Ok;
      }
      if (commandWord) throw usageError(`unknown ${group.name} command "${commandWord.value}"`);
      out.note(groupHelp(group));
      return ExitCode.Usage;
    }
    helpFor = command.name === "" ? `shoal ${group.name}` : `shoal ${group.name} ${command.name}`;
    if (located.values.help === true) {
      out.print(commandHelp(group, command));
      return ExitCode.Ok;
    }

    let parsed: { values: RawValues; positionals: string[] };
    try {
      const result = parseArgs({
        args: argv.filter((_, i) => !consumed.has(i)),
        options: parseConfig(GLOBAL_OPTIONS, command.options ?? {}),
        strict: true,
        allowPositionals: true,
      });
      parsed = { values: result.values as RawValues, positionals: result.positionals };
    } catch (error) {
      throw usageError(parseErrorMessage(error));
    }
    const specs = command.args ?? [];
    const required = specs.filter((a) => !a.optional).length;
    if (parsed.positionals.length < required) {
      const missing = specs.slice(parsed.positionals.length).filter((a) => !a.optional).map((a) => a.name);
      throw usageError(`missing ${missing.join(" and ")}`);
    }
    if (parsed.positionals.length > specs.length) {
      throw usageError(`unexpected argument "${parsed.positionals[specs.length]}"`);
    }
    const ctx = makeContext(io, out, parsed.values, command.shadows ?? []);
    return await command.run(ctx, new Args(parsed.values, parsed.positionals));
  } catch (error) {
    return report(error, out, helpFor);
  }
}
