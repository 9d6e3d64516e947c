/**
 * The one place where a failure becomes an HTTP status and a Redfish error
 * body. Handlers throw typed values (RedfishError from the gateway, ShoalError
 * from the core, BmcError from a BMC; the last two are translated in
 * shoal-to-redfish.ts and bmc-to-redfish.ts); anything else is our bug and
 * becomes a bare 500 whose details go only to the server log.
 */
import { isShoalError } from "../../src/errors.js";
import { isBmcError } from "../bmc/errors.js";
import { fromBmcError } from "./bmc-to-redfish.js";
import { MESSAGES, messageId, messageText, type MessageKey, type MessageSeverity } from "./messages.js";
import { fromShoalError } from "./shoal-to-redfish.js";

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
