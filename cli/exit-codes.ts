/**
 * What `shoal` exits with. Scripts branch on these, so they are part of the
 * CLI's contract and listed in `shoal --help`.
 */
export const ExitCode = {
  /** Everything asked for happened. */
  Ok: 0,
  /** A triggered execution ran, and at least one machine failed. */
  MachinesFailed: 1,
  /** The command line, a file it named, or the request was refused as invalid (a 4xx). */
  Usage: 2,
  /** Cancelled, failed to start, or the gateway could not be reached or broke (5xx). */
  Unavailable: 3,
  /** Interrupted by the operator (Ctrl-C), as shells count it: 128 + SIGINT. */
  Interrupted: 130,
} as const;

/**
 * A failure the CLI reports and exits on. `lines` are printed to stderr one
 * per line; `usageHint` adds "run ... --help" when the command line was wrong.
 */
export class CliError extends Error {
  readonly exitCode: number;
  readonly lines: string[];
  readonly usageHint: boolean;
  /** Printed on stdout with --json, so scripts get a parsable reason too. */
  readonly jsonBody: unknown;

  constructor(exitCode: number, lines: string[], options: { usageHint?: boolean; jsonBody?: unknown } = {}) {
    super(lines.join("\n"));
    this.name = "CliError";
    this.exitCode = exitCode;
    this.lines = lines;
    this.usageHint = options.usageHint ?? false;
    this.jsonBody = options.jsonBody;
  }
}

/** The command line is wrong: exit 2 and point at --help. */
export function usageError(...lines: string[]): CliError {
  return new CliError(ExitCode.Usage, lines, { usageHint: true });
}

/** A named file or value is wrong (not the command's shape): exit 2, no --help hint. */
export function inputError(...lines: string[]): CliError {
  return new CliError(ExitCode.Usage, lines);
}
