/**
 * A command that builds a request body from flags knows which flag made each
 * property: a gateway refusal pointing at `#/Password` is about
 * `--password-stdin`. Rewrites the gateway's lines to name the flags.
 */
import { CliError } from "./exit-codes.js";
import { GatewayError } from "./http.js";
import { errorLines, messageLine, redfishMessages } from "./redfish-error.js";

/** Body pointer ("/Password") -> what the operator should give ("--password-stdin: ..."). */
export type FlagNames = Record<string, string>;

export function rethrowNamingFlags(error: unknown, flags: FlagNames): never {
  if (!(error instanceof GatewayError) || error.status >= 500) throw error;
  const messages = redfishMessages(error.body);
  if (messages.length === 0) throw error;
  const named = messages.some((m) => m.relatedProperties.some((p) => flags[p.replace(/^#/, "")] !== undefined));
  if (!named) throw error;
  const lines = messages.map((m) => {
    const flag = m.relatedProperties.map((p) => flags[p.replace(/^#/, "")]).find((f) => f !== undefined);
    return flag ? `${messageLine(m)} (${flag})` : errorLines(error.status, error.statusText, { error: { "@Message.ExtendedInfo": [rawEntry(m)] } }).join("\n");
  });
  throw new CliError(error.exitCode, lines.flatMap((l) => l.split("\n")), { jsonBody: error.body });
}

function rawEntry(m: ReturnType<typeof redfishMessages>[number]): Record<string, unknown> {
  return { MessageId: m.messageId, Message: m.message, RelatedProperties: m.relatedProperties, Resolution: m.resolution };
}
