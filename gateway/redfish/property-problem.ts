/**
 * The one builder of a problem about a property of a request: which message
 * arguments each Base message takes, the wire pointer it relates to, and the
 * value echoed back unless the property holds a credential. Schema (ajv)
 * errors and the core's validation details both come through here.
 */
import { isSecretName } from "../secret-names.js";
import type { Problem } from "./errors.js";
import type { MessageKey } from "./messages.js";

/** What is wrong with one property, before it is worded. */
export interface PropertyFault {
  key: MessageKey;
  /** Wire pointer into the request body ("#/Schedule/Time"; "#" for the body itself). */
  pointer: string;
  /** The offending value, echoed in MessageArgs where the message has a place for it. */
  value?: unknown;
  /** Replaces the registry's generic resolution. */
  resolution?: string;
  /** PropertyValueConflict: the property (wire name) this one conflicts with. */
  other?: string;
  /** ResourceNotFound: the type of the resource the value names ("Machine"). */
  resourceType?: string;
}

/** A pointer whose last segment names a credential ("#/Password", "#/Steps/0/Payload/Token"). */
export const defaultIsSecret = (pointer: string): boolean => isSecretName(pointer.slice(pointer.lastIndexOf("/") + 1));

const HIDDEN = "******";

export function propertyProblem(fault: PropertyFault, isSecret: (wirePointer: string) => boolean = defaultIsSecret): Problem {
  const { key, pointer } = fault;
  const property = propertyName(pointer);
  const related = pointer === "#" ? [] : [pointer];
  const base = fault.resolution ? { resolution: fault.resolution } : {};
  const shown = (): string => (isSecret(pointer) ? HIDDEN : formatArg(fault.value));
  switch (key) {
    case "PropertyMissing":
    case "PropertyUnknown":
    case "PropertyNotWritable":
    case "PropertyValueError":
      return { key, args: [property], relatedProperties: related, ...base };
    case "PropertyValueConflict":
      return { key, args: [property, fault.other ?? ""], relatedProperties: [...related, `#/${fault.other ?? ""}`], ...base };
    case "ResourceNotFound":
      return { key, args: [fault.resourceType ?? "Resource", shown()], relatedProperties: related, ...base };
    default:
      return { key, args: [shown(), property], relatedProperties: related, ...base };
  }
}

const MAX_ARG_LENGTH = 200;

/** A value as Redfish MessageArgs want it: a string, `null` spelled out, long values cut. */
export function formatArg(value: unknown): string {
  let text: string;
  if (value === null) text = "null";
  else if (value === undefined) text = "";
  else if (typeof value === "string") text = value;
  else if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") text = String(value);
  else {
    try {
      text = JSON.stringify(value) ?? String(value);
    } catch {
      text = Object.prototype.toString.call(value);
    }
  }
  return text.length > MAX_ARG_LENGTH ? `${text.slice(0, MAX_ARG_LENGTH)}...` : text;
}

/** "#/Schedule/Time" -> "Schedule/Time", the property name form MessageArgs use. */
export function propertyName(wirePointer: string): string {
  return wirePointer.replace(/^#\/?/, "");
}

/** A message as a sentence: capitalised, ending in a full stop. */
export function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
