/** Runs the CLI in-process with captured output, a chosen environment and optional fake terminals. */
import { PassThrough, Readable, Writable } from "node:stream";
import { runCli } from "../../cli/run.js";
import type { CliIo, OutStream } from "../../cli/io.js";

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  /** Pretend stdout and stderr are terminals of this width. */
  tty?: number;
  /** Called with the interrupt handler the command registers (to simulate Ctrl-C). */
  onInterrupt?: (handler: () => void) => void;
  /** Sees stdout as it grows, for tests that act on what a running command has printed. */
  onStdout?: (textSoFar: string) => void;
}

class Capture extends Writable {
  text = "";
  isTTY?: boolean;
  columns?: number;
  constructor(private readonly onText?: (textSoFar: string) => void) {
    super();
  }
  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: () => void): void {
    this.text += chunk.toString();
    this.onText?.(this.text);
    callback();
  }
}

export async function run(argv: string[], options: RunOptions = {}): Promise<RunResult> {
  const stdout = new Capture(options.onStdout);
  const stderr = new Capture();
  if (options.tty !== undefined) {
    for (const s of [stdout, stderr]) {
      s.isTTY = true;
      s.columns = options.tty;
    }
  }
  const stdin = options.stdin === undefined ? new PassThrough() : Readable.from([Buffer.from(options.stdin)]);
  if (options.stdin === undefined) (stdin as PassThrough).end();
  const io: CliIo = {
    stdout: stdout as OutStream,
    stderr: stderr as OutStream,
    stdin,
    // A clean environment: no SHOAL_* or NO_COLOR leaking in from the developer's shell.
    env: { ...options.env },
    onInterrupt: (handler) => {
      options.onInterrupt?.(handler);
      return () => undefined;
    },
  };
  const code = await runCli(argv, io);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** Removes ANSI colour sequences. */
export function plain(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}
