/**
 * The one place where a failure becomes an HTTP status and a Redfish error
 * body. Handlers throw typed values (RedfishError from the gateway, ShoalError
 * from the core); anything else is our bug and becomes a bare 500 whose
 * details go only to the server log.
 */
import { isShoalError, type ErrorDetail, type ProblemKind, type ShoalError } from "../../src/errors.js";
import { isBmcError, isRecord, type BmcError } from "../bmc/errors.js";
import { MESSAGES, messageId, messageText, type MessageKey, type MessageSeverity } from "./messages.js";

/** One thing wrong with a request: becomes one `@Message.ExtendedInfo` entry. */
export interface Problem {
  key: MessageKey;
  args?: readonly string[];
  /** JSON pointers into the request body, written "#/Schedule/Time". */
  relatedProperties?: readonly string[];
  /** Replaces the registry's generic resolution when we know better. */
  resolution?: string;
  /** Replaces the registry's text; only for GeneralError, whose registry text says nothing. */
  message?: string;
}

/** An `@Message.ExtendedInfo` entry another Redfish service (a BMC) sent, relayed as it came. */
export type RelayedMessage = Readonly<Record<string, unknown>>;

/** What an error carries besides our own problems: another service's messages, passed through. */
export interface RelayOptions {
  /** Entries relayed verbatim after ours (a BMC's own `@Message.ExtendedInfo`). */
  relayed?: readonly RelayedMessage[];
  /** Replaces the body's top-level `code` (the BMC's own, when its error is passed through). */
  code?: string;
  /** Replaces the body's top-level `message`. */
  message?: string;
}

export class RedfishError extends Error {
  readonly status: number;
  readonly problems: readonly Problem[];
  /** Extra response headers (Allow, WWW-Authenticate, Retry-After...). */
  readonly headers: Readonly<Record<string, string>>;
  readonly relay: RelayOptions;

  constructor(status: number, problems: readonly Problem[], headers: Record<string, string> = {}, relay: RelayOptions = {}) {
    const first = problems[0];
    super(relay.message ?? (first ? messageText(first.key, first.args ?? []) : `HTTP ${status}`));
    this.name = "RedfishError";
    this.status = status;
    const hasRelayed = (relay.relayed?.length ?? 0) > 0;
    this.problems = problems.length > 0 || hasRelayed ? problems : [{ key: "GeneralError" }];
    this.headers = headers;
    this.relay = relay;
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
    "@Message.ExtendedInfo": (ExtendedInfo | RelayedMessage)[];
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
    Message: problem.message ?? messageText(problem.key, args),
    MessageArgs: args,
    RelatedProperties: [...(problem.relatedProperties ?? [])],
    Severity: def.severity,
    MessageSeverity: def.severity,
    Resolution: problem.resolution ?? def.resolution,
  };
}

/**
 * The Redfish error body: `code` is the single problem's id, or GeneralError
 * when there are several. Relayed entries follow ours unchanged.
 */
export function errorBody(problems: readonly Problem[], relay: RelayOptions = {}): RedfishErrorBody {
  const entries: (ExtendedInfo | RelayedMessage)[] = [...problems.map(extendedInfo), ...(relay.relayed ?? [])];
  const only = entries.length === 1 ? entries[0] : undefined;
  const onlyId = typeof only?.MessageId === "string" ? only.MessageId : undefined;
  const onlyText = typeof only?.Message === "string" ? only.Message : undefined;
  return {
    error: {
      code: relay.code ?? onlyId ?? messageId("GeneralError"),
      message:
        relay.message ?? onlyText ?? `The request has ${entries.length} problems; each is described in @Message.ExtendedInfo.`,
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
    case "InsufficientStorage":
      return new RedfishError(507, [{ key: "InsufficientStorage" }]);
    case "StoreError":
      return undefined;
  }
}

/** What each way of not reaching a BMC means for the operator, and what to do about it. */
const UNREACHABLE: Readonly<Partial<Record<BmcError["type"], { what: string; resolution: string }>>> = {
  ConnectionRefused: { what: "refused the connection", resolution: "Check that the BMC is powered and its Endpoint is right, then resubmit the request." },
  ConnectionReset: { what: "dropped the connection", resolution: "Resubmit the request; if it keeps failing, check the BMC." },
  Timeout: { what: "did not answer within its HTTPClientTimeout", resolution: "Check the BMC, or raise the machine's HTTPClientTimeout, then resubmit the request." },
  DnsError: { what: "has a host name that does not resolve", resolution: "Correct the machine's Endpoint, then resubmit the request." },
  NetworkUnreachable: { what: "is on a network the gateway cannot reach", resolution: "Check the route from the gateway to the BMC, then resubmit the request." },
  TlsError: { what: "failed the TLS handshake", resolution: "Give the BMC a certificate the gateway trusts, or set the machine's Insecure to true, then resubmit the request." },
  InvalidResponse: { what: "answered with something that is not Redfish JSON", resolution: "Check the BMC's firmware and Endpoint, then resubmit the request." },
  Cancelled: { what: "was not waited for: the request was cancelled", resolution: "Resubmit the request." },
};

function who(error: BmcError, capital = true): string {
  const text = error.machineId === undefined ? "the BMC" : `the BMC of machine '${error.machineId}'`;
  return capital ? text.charAt(0).toUpperCase() + text.slice(1) : text;
}

/**
 * A failure to get what we wanted from a BMC, for the operator who asked:
 * - the BMC's own 4xx: the same status, its `@Message.ExtendedInfo` passed through
 *   (except 401/403: the BMC refusing the gateway's stored credentials is not the
 *   operator's credentials being wrong, so that is a 502 naming the machine);
 * - a BMC 5xx, or no usable answer at all (refused, reset, timeout...): 502 GeneralError naming the machine;
 * - a refusal of ours before anything was sent (ResourceNotFound, a value not allowed): 404 / 400;
 * - the client shut down with the gateway: 503.
 */
export function fromBmcError(error: BmcError): RedfishError {
  const relayed = (error.detail["@Message.ExtendedInfo"] ?? []).filter(isRecord);
  const status = error.status ?? 0;
  switch (error.type) {
    case "HttpError": {
      if (status >= 400 && status < 500 && status !== 401 && status !== 403) {
        const headers: Record<string, string> =
          status === 429 && error.retryAfterMs !== undefined ? { "Retry-After": String(Math.ceil(error.retryAfterMs / 1000)) } : {};
        const message = `From ${who(error, false)}: ${sentence(error.message)}`;
        const own: Problem[] = relayed.length > 0 ? [] : [{ key: "GeneralError", message, resolution: "Correct the request and resubmit it." }];
        const relay: RelayOptions = { relayed, message };
        if (error.detail.code !== undefined) relay.code = error.detail.code;
        return new RedfishError(status, own, headers, relay);
      }
      const credentials = status === 401 || status === 403;
      const message = credentials
        ? `${who(error)} refused the gateway's credentials: ${sentence(error.message)}`
        : `${who(error)} failed: ${sentence(error.message)}`;
      const resolution = credentials
        ? `Correct the machine's Username and Password (PATCH ${error.machineId === undefined ? "the machine" : `/MultiFish/v1/Platform/${error.machineId}`}), then resubmit the request.`
        : "Resubmit the request later; if the BMC keeps failing, check it.";
      return new RedfishError(502, [{ key: "GeneralError", message, resolution }], {}, { relayed, message });
    }
    case "ResourceNotFound":
      return new RedfishError(404, [{ key: "GeneralError", message: sentence(error.message), resolution: "Name an existing resource and resubmit the request." }]);
    case "PropertyValueNotInList":
    case "NotSupported":
      return new RedfishError(400, [{ key: "GeneralError", message: sentence(error.message), resolution: "Correct the request and resubmit it." }]);
    case "ClientClosed":
      return new RedfishError(503, [{ key: "ServiceShuttingDown" }]);
    default: {
      const known = UNREACHABLE[error.type];
      const message = `${who(error)} ${known?.what ?? "could not be reached"}: ${sentence(error.message)}`;
      return new RedfishError(502, [{ key: "GeneralError", message, resolution: known?.resolution ?? "Check the BMC, then resubmit the request." }]);
    }
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
 * THE mapper: whatever was thrown -> status, headers and Redfish error body.
 * Client mistakes keep their 4xx; anything unrecognised is a 500 with no
 * detail in the body (the caller logs `internal`).
 */
export function toErrorResponse(error: unknown): ErrorResponse {
  let redfish: RedfishError | undefined;
  if (isRedfishError(error)) redfish = error;
  else if (isShoalError(error)) redfish = fromShoalError(error);
  else if (isBmcError(error)) redfish = fromBmcError(error);
  else {
    const status = httpErrorStatus(error);
    if (status !== undefined) {
      const key = HTTP_STATUS_KEYS[status] ?? "GeneralError";
      redfish = new RedfishError(status, [{ key }]);
    }
  }
  if (!redfish) return internalError(error);
  return { status: redfish.status, headers: { ...redfish.headers }, body: errorBody(redfish.problems, redfish.relay) };
}
