/**
 * Core errors (ShoalError) as the Redfish errors they stand for: a validation
 * detail becomes a problem at the wire pointer of the property, each core
 * code the status REDFISH.md gives it.
 */
import type { ErrorDetail, ProblemKind, ShoalError } from "../../src/errors.js";
import { RedfishError, type Problem } from "./errors.js";
import type { MessageKey } from "./messages.js";
import { formatArg, propertyName, propertyProblem, sentence } from "./property-problem.js";

/** Translates a core JSON pointer ("/schedule/period/daysOfMonth/2") to a wire pointer ("#/Schedule/Period/DaysOfMonth/2"). */
export type PointerTranslator = (corePath: string) => string;

/** The default translation: each name segment gets its first letter upper-cased, indexes stay. */
export const pascalPointer: PointerTranslator = (corePath) => {
  if (corePath === "") return "#";
  const segments = corePath
    .split("/")
    .slice(1)
    .map((s) => (/^\d+$/.test(s) ? s : s.charAt(0).toUpperCase() + s.slice(1)));
  return `#/${segments.join("/")}`;
};

const KIND_TO_KEY: Readonly<Record<ProblemKind, MessageKey>> = {
  missing: "PropertyMissing",
  type: "PropertyValueTypeError",
  format: "PropertyValueFormatError",
  notInList: "PropertyValueNotInList",
  outOfRange: "PropertyValueOutOfRange",
  unknown: "PropertyUnknown",
  notFound: "ResourceNotFound",
  notWritable: "PropertyNotWritable",
  invalid: "PropertyValueError",
};

export interface DetailOptions {
  translate?: PointerTranslator;
  /** The resource type named in ResourceNotFound entries that point at a property ("Machine"). */
  resourceType?: (wirePointer: string) => string;
}

/** One core validation detail -> one problem, with the Redfish id its `kind` calls for. */
function problemFromDetail(detail: ErrorDetail, options: DetailOptions): Problem {
  const pointer = (options.translate ?? pascalPointer)(detail.path);
  const key: MessageKey = detail.kind ? KIND_TO_KEY[detail.kind] : "PropertyValueError";
  // The core's own words say what is wrong better than the registry's generic resolution; a missing property needs none.
  const resolution = detail.message && key !== "PropertyMissing" ? sentence(detail.message) : undefined;
  const resourceType = key === "ResourceNotFound" ? (options.resourceType?.(pointer) ?? "Resource") : undefined;
  return propertyProblem({ key, pointer, value: detail.value, ...(resolution && { resolution }), ...(resourceType && { resourceType }) });
}

/**
 * A ShoalError as the RedfishError it stands for; routes call this when they
 * know how to translate paths. Undefined when the error is not the client's
 * doing (the store failed): that one is reported as ours.
 */
export function fromShoalError(error: ShoalError, options: DetailOptions = {}): RedfishError | undefined {
  const first = error.details[0];
  switch (error.code) {
    case "ValidationError":
      return RedfishError.badRequest(
        error.details.length > 0
          ? error.details.map((d) => problemFromDetail(d, options))
          : [{ key: "GeneralError", resolution: sentence(error.message) }],
      );
    case "NotFound":
      return RedfishError.resourceNotFound("Resource", formatArg(first?.value ?? ""));
    case "AlreadyExists": {
      const pointer = first ? (options.translate ?? pascalPointer)(first.path) : "#/Id";
      return new RedfishError(409, [
        {
          key: "ResourceAlreadyExists",
          args: ["Resource", propertyName(pointer) || "Id", formatArg(first?.value ?? "")],
          relatedProperties: pointer === "#" ? [] : [pointer],
        },
      ]);
    }
    case "AlreadyRunning":
    case "Conflict":
      return RedfishError.resourceInUse(sentence(error.message));
    case "NotRunning":
      return new RedfishError(409, [{ key: "GeneralError", resolution: sentence(error.message) }]);
    case "PreconditionFailed":
      return RedfishError.preconditionFailed();
    case "Stopped":
      return new RedfishError(503, [{ key: "ServiceShuttingDown" }]);
    case "InsufficientStorage":
      return new RedfishError(507, [{ key: "InsufficientStorage" }]);
    case "StoreError":
      return undefined;
  }
}
