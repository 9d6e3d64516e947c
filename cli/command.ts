/**
 * The shape every command is declared in. A command lists its options (with
 * the text --help shows) and its positional arguments; the dispatcher parses
 * with node:util parseArgs, checks counts and hands over typed accessors.
 */
import type { CliIo } from "./io.js";
import type { Output } from "./output.js";
import type { GatewayClient } from "./http.js";
import { usageError } from "./exit-codes.js";

export interface OptionSpec {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help: `--url URL`. */
  value?: string;
  description: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

export interface ArgumentSpec {
  name: string;
  optional?: boolean;
}

export type RawValues = Record<string, string | boolean | (string | boolean)[] | undefined>;

/** The parsed command line, with accessors that turn a wrong type into a usage error. */
export class Args {
  readonly values: RawValues;
  readonly positionals: string[];

  constructor(values: RawValues, positionals: string[]) {
    this.values = values;
    this.positionals = positionals;
  }

  string(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined) return undefined;
    if (typeof value !== "string") throw usageError(`--${name} needs a value`);
    return value;
  }

  required(name: string, why = ""): string {
    const value = this.string(name);
    if (value === undefined || value === "") throw usageError(`--${name} is required${why ? ` ${why}` : ""}`);
    return value;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  /** A whole number option within bounds, e.g. --count 5. */
  integer(name: string, min: number, max: number): number | undefined {
    const text = this.string(name);
    if (text === undefined) return undefined;
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
      throw usageError(`--${name} must be a whole number from ${min} to ${max}, not "${text}"`);
    }
    return n;
  }

  /** The i-th positional argument (already counted against the command's spec). */
  arg(index: number): string {
    return this.positionals[index] ?? "";
  }
}

export interface GlobalSettings {
  url: string;
  json: boolean;
}

export interface Context {
  io: CliIo;
  out: Output;
  settings: GlobalSettings;
  /** The REST client, built on first use so offline commands never need credentials. */
  client(): GatewayClient;
}

export interface Command {
  name: string;
  summary: string;
  /** What follows "shoal <group> <name>" in the usage line. */
  usage: string;
  /** Paragraphs shown under the usage line in --help. */
  details?: string;
  options?: OptionSpecs;
  args?: ArgumentSpec[];
  /**
   * Global options this command gives its own meaning (`machines add --user`
   * is the BMC's user); the gateway settings then come from the environment.
   */
  shadows?: string[];
  /** Extra usage lines, e.g. examples. */
  examples?: string[];
  run(ctx: Context, args: Args): Promise<number>;
}

export interface CommandGroup {
  name: string;
  summary: string;
  commands: Command[];
  /**
   * When the word after the group is not a command name, run this one with
   * that word as its first argument (`shoal executions JOB_ID`). A group with
   * exactly one command and no name of its own (`shoal preview`) uses it too.
   */
  defaultCommand?: string;
}

export function findCommand(group: CommandGroup, name: string | undefined): Command | undefined {
  return name === undefined ? undefined : group.commands.find((c) => c.name === name);
}
