/**
 * The gateway's logger: one JSON object per line, to a sink a test can
 * replace. Callers pass fields, never request bodies or credentials.
 */
import type { Logger } from "../src/scheduler/logger.js";

export type LogLevel = "debug" | "info" | "warn" | "error";

export const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error"];

export type LogFields = Record<string, unknown>;

/** Where finished lines go: stdout by default, an array in tests. */
export type LogSink = (line: string) => void;

/** The core's logger interface: the scheduler, the BMC actions and the gateway all log through it. */
export type { Logger };

export interface LoggerOptions {
  level?: LogLevel;
  sink?: LogSink;
  now?: () => Date;
}

const stdoutSink: LogSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** Errors do not serialise to JSON on their own; keep their name, message and stack. */
function serialisable(value: unknown): unknown {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack };
  return value;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const threshold = LOG_LEVELS.indexOf(options.level ?? "info");
  const sink = options.sink ?? stdoutSink;
  const now = options.now ?? (() => new Date());
  const write = (level: LogLevel, msg: string, fields: LogFields = {}): void => {
    if (LOG_LEVELS.indexOf(level) < threshold) return;
    const record: LogFields = { time: now().toISOString(), level, msg };
    for (const [k, v] of Object.entries(fields)) record[k] = serialisable(v);
    sink(JSON.stringify(record));
  };
  return {
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
}
