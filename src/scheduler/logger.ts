/** Where the scheduler and the actions it runs report what they do. Plug in pino, console, anything. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const ignore = (): void => {};
export const silentLogger: Logger = { debug: ignore, info: ignore, warn: ignore, error: ignore };

/** A logger that adds `bound` to every line, so an action's log lines say which job, run and target. */
export function withFields(logger: Logger, bound: Record<string, unknown>): Logger {
  if (logger === silentLogger) return logger;
  return {
    debug: (m, f) => logger.debug(m, { ...bound, ...f }),
    info: (m, f) => logger.info(m, { ...bound, ...f }),
    warn: (m, f) => logger.warn(m, { ...bound, ...f }),
    error: (m, f) => logger.error(m, { ...bound, ...f }),
  };
}
