/**
 * A request can succeed with a warning (201 plus `@Message.ExtendedInfo`
 * entries of Severity Warning, such as a second enabled job of one name):
 * print each with its resolution on stderr, so stdout stays the result.
 */
import type { Output } from "./output.js";
import { isObject } from "./resources.js";

export function successWarnings(body: unknown): { message: string; resolution: string | null }[] {
  if (!isObject(body)) return [];
  const info = body["@Message.ExtendedInfo"];
  if (!Array.isArray(info)) return [];
  return info.filter(isObject).flatMap((entry) => {
    const severity = entry.MessageSeverity ?? entry.Severity;
    if (severity !== "Warning" || typeof entry.Message !== "string") return [];
    return [{ message: entry.Message, resolution: typeof entry.Resolution === "string" ? entry.Resolution : null }];
  });
}

export function printWarnings(out: Output, body: unknown): void {
  for (const w of successWarnings(body)) out.warn(w.resolution ? `${w.message} ${w.resolution}` : w.message);
}
