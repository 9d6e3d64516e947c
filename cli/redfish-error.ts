/**
 * Turns a Redfish error body (docs/api.md "Errors") into lines a person reads:
 * one per @Message.ExtendedInfo entry, naming the property when the message
 * itself does not, and what to do about it in the CLI's words.
 */
import { isObject } from "../src/problems.js";
import { inCliWords, isGeneric } from "./resolutions.js";

export interface RedfishMessage {
  messageId: string | null;
  message: string;
  relatedProperties: string[];
  resolution: string | null;
}

function stringOf(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** The entries of `error["@Message.ExtendedInfo"]`, or one built from `error.message`; [] when the body is not a Redfish error. */
export function redfishMessages(body: unknown): RedfishMessage[] {
  if (!isObject(body) || !isObject(body.error)) return [];
  const error = body.error;
  const info = error["@Message.ExtendedInfo"];
  const messages: RedfishMessage[] = [];
  if (Array.isArray(info)) {
    for (const entry of info) {
      if (!isObject(entry)) continue;
      const related = Array.isArray(entry.RelatedProperties)
        ? entry.RelatedProperties.filter((p): p is string => typeof p === "string")
        : [];
      const message = stringOf(entry.Message) ?? stringOf(entry.MessageId) ?? "(no message)";
      messages.push({ messageId: stringOf(entry.MessageId), message, relatedProperties: related, resolution: stringOf(entry.Resolution) });
    }
  }
  if (messages.length === 0) {
    const message = stringOf(error.message) ?? stringOf(error.code);
    if (message) messages.push({ messageId: stringOf(error.code), message, relatedProperties: [], resolution: null });
  }
  return messages;
}

/** "Base.1.22.PropertyValueFormatError" -> "PropertyValueFormatError" (any registry version). */
export function messageKey(messageId: string | null): string | null {
  if (!messageId) return null;
  const parts = messageId.split(".");
  return parts[parts.length - 1] ?? null;
}

/** "#/Schedule/Time" -> "/Schedule/Time". */
function pointerOf(related: string): string {
  return related.startsWith("#") ? related.slice(1) : related;
}

export function messageLine(m: RedfishMessage): string {
  const pointers = m.relatedProperties.map(pointerOf).filter((p) => p !== "" && p !== "/");
  // Messages usually name the property as "Schedule/Time"; only add the pointer when it does not.
  const unnamed = pointers.filter((p) => !m.message.includes(p.slice(1)));
  return unnamed.length > 0 ? `${m.message} (at ${unnamed.join(", ")})` : m.message;
}

/**
 * What to do, in the CLI's words, for a problem with the request as a whole
 * (in use, not found, refused by a BMC...). A problem at a property is named
 * by its message; its stock resolution ("correct the value...") adds nothing.
 */
function resolutionLines(m: RedfishMessage): string[] {
  if (m.resolution === null || isGeneric(m.resolution)) return [];
  // At a property, only a resolution that says more than "correct it" (the expected format, say).
  if (m.relatedProperties.length > 0 && !m.resolution.startsWith("Expected: ")) return [];
  return [`  ${inCliWords(m.resolution)}`];
}

/**
 * Lines for a failed response: one per message, or a line naming the HTTP
 * status when the body is not a Redfish error (a proxy's HTML page, say).
 */
export function errorLines(status: number, statusText: string, body: unknown): string[] {
  const messages = redfishMessages(body);
  if (messages.length > 0) return messages.flatMap((m) => [messageLine(m), ...resolutionLines(m)]);
  const text = typeof body === "string" ? body.trim().split("\n")[0]?.slice(0, 200) : "";
  return [`HTTP ${status}${statusText ? ` ${statusText}` : ""}${text ? `: ${text}` : ""}`];
}
