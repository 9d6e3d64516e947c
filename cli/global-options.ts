/** Options every command takes, and how they resolve against the environment. */
import type { OptionSpecs } from "./command.js";
import { DEFAULT_URL } from "./http.js";

export const GLOBAL_OPTIONS: OptionSpecs = {
  url: { type: "string", value: "URL", description: `gateway address (env SHOAL_URL; default ${DEFAULT_URL})` },
  user: { type: "string", value: "USER", description: "basic-auth user (env SHOAL_USER); the password comes from env SHOAL_PASSWORD" },
  token: { type: "string", value: "TOKEN", description: "bearer token (env SHOAL_TOKEN, which keeps it out of `ps`)" },
  json: { type: "boolean", description: "print JSON for scripts (no colours, no progress bar)" },
  "no-color": { type: "boolean", description: "no colours (also: env NO_COLOR)" },
  help: { type: "boolean", short: "h", description: "show help for the command" },
};

export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0  done",
  "  1  jobs trigger --wait: the execution finished and at least one machine failed",
  "  2  wrong command line, unreadable input file, or the gateway refused the request (4xx)",
  "  3  cancelled, failed to start, gateway unreachable or in trouble (5xx)",
].join("\n");
