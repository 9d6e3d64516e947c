/**
 * Everything the CLI touches outside itself, passed in so tests run commands
 * in-process with captured streams, a chosen environment and a fake TTY.
 */
import type { Readable, Writable } from "node:stream";

export interface OutStream extends Writable {
  isTTY?: boolean;
  columns?: number;
}

export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  stdin: Readable;
  env: Record<string, string | undefined>;
  /** Registers a Ctrl-C handler while a long command runs; returns the unregister function. */
  onInterrupt?: (handler: () => void) => () => void;
}

export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
    onInterrupt(handler) {
      process.on("SIGINT", handler);
      return () => process.off("SIGINT", handler);
    },
  };
}
