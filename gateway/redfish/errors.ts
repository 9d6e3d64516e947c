/**
 * The one place where a failure becomes an HTTP status and a Redfish error
 * body. Handlers throw typed values (RedfishError from the gateway, ShoalError
 * from the core); anything else is our bug and becomes a bare 500 whose
 * details go only to the server log.
 */
import { isShoalError, type ErrorDetail, type ProblemKind, type ShoalError } from "../../src/errors.js";
import { MESSAGES, messageId, messageText, type MessageKey, type MessageSeverity } from "./messages.js";

/** One thing wrong with a request: becomes one `@Message.ExtendedInfo` entry. */
export interface Problem {
  key: MessageKey;
  args?: readonly string[];
  /** JSON pointers into the request body, written "#/Schedule/Time". */
  relatedProperties?: readonly string[];
  /** Replaces the registry's generic resolution when we know better. */
  resolution?: string;
}

export class RedfishError extends Error {
  readonly status: number;
  readonly problems: readonly Problem[];
  /** Extra response headers (Allow, WWW-Authenticate, Retry-After...). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, problems: readonly Problem[], headers: Record<string, string> = {}) {
    const first = problems[0];
    super(first ? messageText(first.key, first.args ?? []) : `HTTP ${status}`);
    this.name = "RedfishError";
    this.status = status;
    this.problems = problems.length > 0 ? problems : [{ key: "GeneralError" }];
    this.headers = headers;
  }

  /** 400 with one entry per problem in the body. */
  static badRequest(problems: readonly Problem[]): RedfishError {
    return new RedfishError(400, problems);
  }

  static malformedJson(resolution?: string): RedfishError {
    return new RedfishError(400, [{ key: "MalformedJSON", ...(resolution ? { resolution } : {}) }]);
  }

  static resourceNotFound(resourceType: string, id: string): RedfishError {
    return new RedfishError(404, [{ key: "ResourceNotFound", args: [resourceType, id] }]);
  }

  static alreadyExists(resourceType: string, property: string, value: string): RedfishError {
    return new RedfishError(409, [
      { key: "ResourceAlreadyExists", args: [resourceType, property, value], relatedProperties: [`#/${property}`] },
    ]);
  }

  static resourceInUse(resolution?: string): RedfishError {
    return new RedfishError(409, [{ key: "ResourceInUse", ...(resolution ? { resolution } : {}) }]);
  }

  static methodNotAllowed(allowed: readonly string[] = []): RedfishError {
    return new RedfishError(405, [{ key: "OperationNotAllowed" }], allowed.length ? { Allow: allowed.join(", ") } : {});
  }

  static preconditionFailed(): RedfishError {
    return new RedfishError(412, [{ key: "PreconditionFailed" }]);
  }
}

export function isRedfishError(value: unknown): value is RedfishError {
  return value instanceof RedfishError;
}

export interface ExtendedInfo {
  "@odata.type": "#Message.v1_1_1.Message";
  MessageId: string;
  Message: string;
  MessageArgs: string[];
  RelatedProperties: string[];
  Severity: MessageSeverity;
  MessageSeverity: MessageSeverity;
  Resolution: string;
}

export interface RedfishErrorBody {
  error: {
    code: string;
    message: string;
    "@Message.ExtendedInfo": ExtendedInfo[];
  };
}

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: RedfishErrorBody;
  /** Present only for failures that are our bug: what the server log should record. */
  internal?: unknown;
}

export function extendedInfo(problem: Problem): ExtendedInfo {
  const def = MESSAGES[problem.key];
  const args = [...(problem.args ?? [])];
  return {
    "@odata.type": "#Message.v1_1_1.Message",
    MessageId: messageId(problem.key),
    Message: messageText(problem.key, args),
    MessageArgs: args,
    RelatedProperties: [...(problem.relatedProperties ?? [])],
    Severity: def.severity,
    MessageSeverity: def.severity,
    Resolution: problem.resolution ?? def.resolution,
  };
}

/** The Redfish error body: `code` is the single problem's id, or GeneralError when there are several. */
export function errorBody(problems: readonly Problem[]): RedfishErrorBody {
  const entries = problems.map(extendedInfo);
  const only = entries.length === 1 ? entries[0] : undefined;
  return {
    error: {
      code: only ? only.MessageId : messageId("GeneralError"),
      message: only ? only.Message : `The request has ${entries.length} problems; each is described in @Message.ExtendedInfo.`,
      "@Message.ExtendedInfo": entries,
    },
  };
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
export function problemFromDetail(detail: ErrorDetail, options: DetailOptions = {}): Problem {
  const pointer = (options.translate ?? pascalPointer)(detail.path);
  const property = propertyName(pointer);
  const key: MessageKey = detail.kind ? KIND_TO_KEY[detail.kind] : "PropertyValueError";
  const related = pointer === "#" ? [] : [pointer];
  const resolution = detail.message ? sentence(detail.message) : undefined;
  const withResolution = (p: Problem): Problem => (resolution && key !== "PropertyMissing" ? { ...p, resolution } : p);
  switch (key) {
    case "PropertyMissing":
    case "PropertyUnknown":
    case "PropertyNotWritable":
    case "PropertyValueError":
      return withResolution({ key, args: [property], relatedProperties: related });
    case "ResourceNotFound": {
      const type = options.resourceType?.(pointer) ?? "Resource";
      return withResolution({ key, args: [type, formatArg(detail.value)], relatedProperties: related });
    }
    default:
      return withResolution({ key, args: [formatArg(detail.value), property], relatedProperties: related });
  }
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
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
    case "StoreError":
      return undefined;
  }
}

/** Statuses an HTTP error from Koa or its helpers may carry, and the message that fits each. */
const HTTP_STATUS_KEYS: Readonly<Record<number, MessageKey>> = {
  400: "MalformedJSON",
  401: "NoValidSession",
  405: "OperationNotAllowed",
  409: "ResourceInUse",
  412: "PreconditionFailed",
};

function httpErrorStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  if (typeof status === "number" && status >= 400 && status < 500 && expose === true) return status;
  return undefined;
}

function internalError(error: unknown): ErrorResponse {
  return { status: 500, headers: {}, body: errorBody([{ key: "InternalError" }]), internal: error };
}

/**
 * THE mapper: any thrown value -> status, headers and Redfish error body.
 * Client mistakes keep their 4xx; anything unrecognised is a 500 with no
 * detail in the body (the caller logs `internal`).
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  let redfish: RedfishError | undefined;
  if (isRedfishError(error)) redfish = error;
  else if (isShoalError(error)) redfish = fromShoalError(error);
  else {
    const status = httpErrorStatus(error);
    if (status !== undefined) {
      const key = HTTP_STATUS_KEYS[status] ?? "GeneralError";
      redfish = new RedfishError(status, [{ key }]);
    }
  }
  if (!redfish) return internalError(error);
  return { status: redfish.status, headers: { ...redfish.headers }, body: errorBody(redfish.problems) };
}
