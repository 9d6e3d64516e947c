/**
 * ajv's error objects -> Redfish problems: one entry per offending property,
 * with the Base message id that names what is wrong and a JSON pointer into
 * the request body.
 */
import type { ErrorObject } from "ajv";
import { pointer as pointerTo } from "../../src/errors.js";
import type { Problem } from "../redfish/errors.js";
import { defaultIsSecret, propertyProblem, type PropertyFault } from "../redfish/property-problem.js";

export interface AjvProblemOptions {
  /** Wire pointer of the validated value inside the request body ("#" for the body itself, "#/Steps/0/Payload"...). */
  prefix?: string;
  /** Properties whose values must never be echoed back (credentials). */
  isSecret?: (wirePointer: string) => boolean;
}

const OUT_OF_RANGE = new Set([
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minItems",
  "maxItems",
  "minLength",
  "maxLength",
  "minProperties",
  "maxProperties",
]);

/** Keywords whose failure is only a consequence of errors reported elsewhere. */
const SILENT = new Set(["if", "allOf", "$ref"]);

function param(error: ErrorObject, name: string): unknown {
  return (error.params as Record<string, unknown>)[name];
}

function annotation(error: ErrorObject, name: string): unknown {
  return error.parentSchema ? (error.parentSchema as Record<string, unknown>)[name] : undefined;
}

/** ajv's error, located in the request body: what propertyProblem words. */
type Located = PropertyFault;

function locate(error: ErrorObject, prefix: string): Located | undefined {
  const at = `${prefix}${error.instancePath}`;
  const value = error.data;
  const k = error.keyword;
  if (SILENT.has(k)) return undefined;
  if (k === "required" || k === "dependencies" || k === "dependentRequired") {
    return { key: "PropertyMissing", pointer: `${at}${pointerTo(String(param(error, "missingProperty")))}`, value: undefined };
  }
  if (k === "additionalProperties") {
    return {
      key: "PropertyUnknown",
      pointer: `${at}${pointerTo(String(param(error, "additionalProperty")))}`,
      value: undefined,
    };
  }
  if (k === "type") return { key: "PropertyValueTypeError", pointer: at, value };
  if (k === "pattern" || k === "format") {
    // The schema's description of the value says what format is expected (HH:MM[:SS], YYYY-MM-DD...).
    const description = (error.parentSchema as { description?: unknown } | undefined)?.description;
    const expected = typeof description === "string" ? { resolution: `Expected: ${description} Correct the value and resubmit the request.` } : {};
    return { key: "PropertyValueFormatError", pointer: at, value, ...expected };
  }
  if (k === "enum" || k === "const") return { key: "PropertyValueNotInList", pointer: at, value };
  if (OUT_OF_RANGE.has(k)) return { key: "PropertyValueOutOfRange", pointer: at, value };
  if (k === "uniqueItems") {
    const later = Math.max(Number(param(error, "i")), Number(param(error, "j")));
    return {
      key: "PropertyValueError",
      pointer: Number.isFinite(later) ? `${at}/${later}` : at,
      value: undefined,
      resolution: "Remove the repeated value from the list and resubmit the request.",
    };
  }
  if (k === "not") {
    if (annotation(error, "readOnly") === true) return { key: "PropertyNotWritable", pointer: at, value: undefined };
    const other = annotation(error, "x-conflictsWith");
    if (typeof other === "string") return { key: "PropertyValueConflict", pointer: at, value: undefined, other };
  }
  return { key: "PropertyValueError", pointer: at, value: undefined };
}

/**
 * Translates ajv errors (compiled with allErrors and verbose) into problems.
 * A property with a wrong type reports only that: its format or range does
 * not mean much until the type is right.
 */
export function problemsFromAjv(errors: readonly ErrorObject[], options: AjvProblemOptions = {}): Problem[] {
  const prefix = options.prefix ?? "#";
  const isSecret = options.isSecret ?? defaultIsSecret;
  const located = errors.map((e) => locate(e, prefix)).filter((l): l is Located => l !== undefined);
  const typeErrorAt = new Set(located.filter((l) => l.key === "PropertyValueTypeError").map((l) => l.pointer));
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const l of located) {
    if (typeErrorAt.has(l.pointer) && l.key !== "PropertyValueTypeError") continue;
    const id = `${l.key} ${l.pointer}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(propertyProblem(l, isSecret));
  }
  return problems;
}
