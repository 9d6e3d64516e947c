/**
 * Every way reaching a BMC can fail, as one typed error. The scheduler's retry
 * policy reads `transient`; result files and the execution resource read `type`
 * and `detail`. Classification happens here and nowhere else.
 */
import { isObject as isRecord } from "../../src/problems.js";

/** The one object check (src/problems.ts), under the name the BMC code uses. */
export { isRecord };

/** One request made on behalf of a task, as recorded in its result file. */
export interface RequestRecord {
  method: string;
  uri: string;
  /** The BMC's HTTP status, or null when no response came back. */
  status: number | null;
  duration_ms: number;
  /** Set when the request failed without a usable response. */
  error_type?: BmcErrorType;
}

export type BmcErrorType =
  /** Nothing listens on the BMC's port (or it is down). */
  | "ConnectionRefused"
  /** The BMC (or something between) dropped the connection mid-request. */
  | "ConnectionReset"
  /** Connecting, or waiting for the answer, took longer than the machine's timeout. */
  | "Timeout"
  /** The BMC's host name does not resolve. */
  | "DnsError"
  /** No route to the BMC's network. */
  | "NetworkUnreachable"
  /** The TLS handshake failed, e.g. an untrusted certificate on a machine that is not `Insecure`. */
  | "TlsError"
  /** The BMC answered with an HTTP error status. */
  | "HttpError"
  /** The BMC answered something that is not the Redfish JSON expected. */
  | "InvalidResponse"
  /** The task was cancelled (its AbortSignal fired). */
  | "Cancelled"
  /** A named manager, controller or zone is not on this BMC; nothing was sent. */
  | "ResourceNotFound"
  /** A value the BMC does not allow (e.g. a profile outside its AllowableValues); nothing was sent. */
  | "PropertyValueNotInList"
  /** A property the payload sets is not on this BMC's resource; nothing was sent. */
  | "PropertyUnknown"
  /** A revert found the machine changed since the run it reverts; nothing was sent. */
  | "Conflict"
  /** The action cannot run on this machine (its type does not allow it) or got a payload it cannot use. */
  | "NotSupported"
  /** The client was shut down. */
  | "ClientClosed"
  /** A failure this module did not recognise. */
  | "Unknown";

/** What a result file and an execution record keep about a failure. */
export interface BmcErrorDetail {
  /** The HTTP status the BMC answered, when it answered. */
  status?: number;
  /** The BMC's own `error.code`, as returned. */
  code?: string;
  /** The BMC's own `@Message.ExtendedInfo`, as returned. */
  "@Message.ExtendedInfo"?: unknown[];
  /** The start of a body that was not a Redfish error (HTML error pages, garbage). */
  body?: string;
  /** Allowed values or existing names, when the refusal was ours. */
  allowed?: string[];
  /** Every request the task made, up to and including the failing one. */
  requests: RequestRecord[];
}

export interface BmcErrorInit {
  type: BmcErrorType;
  message: string;
  transient: boolean;
  machineId?: string;
  status?: number;
  retryAfterMs?: number;
  detail?: Partial<BmcErrorDetail>;
  cause?: unknown;
}

export class BmcError extends Error {
  readonly type: BmcErrorType;
  /** True when trying again later may succeed: the scheduler retries only these. */
  readonly transient: boolean;
  readonly machineId: string | undefined;
  readonly status: number | undefined;
  /** From the BMC's `Retry-After`, when it sent one. */
  readonly retryAfterMs: number | undefined;
  readonly detail: BmcErrorDetail;

  constructor(init: BmcErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "BmcError";
    this.type = init.type;
    this.transient = init.transient;
    this.machineId = init.machineId;
    this.status = init.status;
    this.retryAfterMs = init.retryAfterMs;
    this.detail = { requests: [], ...init.detail };
    if (init.status !== undefined) this.detail.status = init.status;
  }
}

export function isBmcError(value: unknown): value is BmcError {
  return value instanceof BmcError;
}

/** Statuses worth retrying: the BMC is busy or broken for now, not rejecting the request. */
export function isTransientStatus(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

/**
 * Parses `Retry-After` (delta-seconds or an HTTP date) into milliseconds from `now`.
 * Returns undefined for a missing or unreadable value.
 */
export function parseRetryAfter(value: string | string[] | undefined, now: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/**
 * True when a Redfish MessageId names `registry` and `key`, whatever version sits
 * between: `Base.1.19.0.PropertyUnknown` and `Base.1.22.PropertyUnknown` both match
 * ("Base", "PropertyUnknown"). BMCs ship their own registry versions.
 */
export function messageIdIs(messageId: unknown, registry: string, key: string): boolean {
  if (typeof messageId !== "string") return false;
  const parts = messageId.split(".");
  return parts.length >= 2 && parts[0] === registry && parts[parts.length - 1] === key;
}

/** The MessageIds a BMC sent with an error, first the top-level code, then each ExtendedInfo entry. */
export function bmcMessageIds(error: BmcError): string[] {
  const ids: string[] = [];
  if (error.detail.code !== undefined) ids.push(error.detail.code);
  for (const m of error.detail["@Message.ExtendedInfo"] ?? []) {
    if (isRecord(m) && typeof m.MessageId === "string") ids.push(m.MessageId);
  }
  return ids;
}

/** True when the BMC's error carries `registry`.`key` (any version), at top level or in ExtendedInfo. */
export function hasBmcMessage(error: BmcError, registry: string, key: string): boolean {
  return bmcMessageIds(error).some((id) => messageIdIs(id, registry, key));
}

/** Pulls the Redfish error out of a body: `{ "error": { code, message, @Message.ExtendedInfo } }`. */
export function redfishErrorOf(body: unknown): Pick<BmcErrorDetail, "code" | "@Message.ExtendedInfo"> & { message?: string } {
  if (!isRecord(body)) return {};
  const error = body.error;
  const out: Pick<BmcErrorDetail, "code" | "@Message.ExtendedInfo"> & { message?: string } = {};
  if (isRecord(error)) {
    if (typeof error.code === "string") out.code = error.code;
    if (typeof error.message === "string") out.message = error.message;
    const info = error["@Message.ExtendedInfo"];
    if (Array.isArray(info)) out["@Message.ExtendedInfo"] = info;
  } else if (Array.isArray(body["@Message.ExtendedInfo"])) {
    // Some BMCs answer a PATCH error with ExtendedInfo at top level.
    out["@Message.ExtendedInfo"] = body["@Message.ExtendedInfo"];
  }
  return out;
}

const REFUSED = new Set(["ECONNREFUSED"]);
const RESET = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "ECONNABORTED"]);
const TIMEOUT = new Set(["ETIMEDOUT", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT"]);
const DNS = new Set(["ENOTFOUND", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_NONAME"]);
const UNREACHABLE = new Set(["EHOSTUNREACH", "ENETUNREACH", "EHOSTDOWN", "ENETDOWN"]);
const INVALID = new Set(["UND_ERR_RES_EXCEEDED_MAX_SIZE", "UND_ERR_RES_CONTENT_LENGTH_MISMATCH", "HPE_INVALID_CONSTANT"]);
const CLOSED = new Set(["UND_ERR_DESTROYED", "UND_ERR_CLOSED"]);

/** The error codes along an error's cause chain (and inside an AggregateError). */
function codesOf(error: unknown, seen = new Set<unknown>()): string[] {
  if (!isRecord(error) && !(error instanceof Error)) return [];
  if (seen.has(error)) return [];
  seen.add(error);
  const e = error as { code?: unknown; cause?: unknown; errors?: unknown };
  const codes: string[] = typeof e.code === "string" ? [e.code] : [];
  if (e.cause !== undefined) codes.push(...codesOf(e.cause, seen));
  if (Array.isArray(e.errors)) for (const inner of e.errors) codes.push(...codesOf(inner, seen));
  return codes;
}

function isTlsCode(code: string): boolean {
  return (
    code.startsWith("ERR_TLS_") ||
    code.startsWith("ERR_SSL_") ||
    code.includes("CERT") ||
    code === "DEPTH_ZERO_SELF_SIGNED_CERT" ||
    code === "SELF_SIGNED_CERT_IN_CHAIN" ||
    code === "UNABLE_TO_VERIFY_LEAF_SIGNATURE" ||
    code === "EPROTO"
  );
}

/** What a transport failure (no HTTP response) is, and whether it is worth retrying. */
export function classifyTransportFailure(error: unknown): { type: BmcErrorType; transient: boolean } {
  const codes = codesOf(error);
  const has = (set: Set<string>) => codes.some((c) => set.has(c));
  if (has(REFUSED)) return { type: "ConnectionRefused", transient: true };
  if (has(TIMEOUT)) return { type: "Timeout", transient: true };
  if (has(DNS)) return { type: "DnsError", transient: true };
  if (has(UNREACHABLE)) return { type: "NetworkUnreachable", transient: true };
  if (codes.some(isTlsCode)) return { type: "TlsError", transient: false };
  if (has(CLOSED)) return { type: "ClientClosed", transient: false };
  if (has(RESET)) return { type: "ConnectionReset", transient: true };
  if (has(INVALID) || codes.some((c) => c.startsWith("HPE_"))) return { type: "InvalidResponse", transient: false };
  return { type: "Unknown", transient: false };
}

/** A short, credential-free description of a transport failure for messages. */
export function describeFailure(error: unknown): string {
  const codes = codesOf(error);
  const message = error instanceof Error ? error.message : String(error);
  return codes.length > 0 ? `${message} (${codes[0]})` : message;
}

/** An HTTP answer as the error builder needs it (status, headers, raw body). */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

const BODY_SNIPPET = 512;

/**
 * A 401/403 from a BMC at 22:00 means the credentials stored with the machine
 * are wrong or expired: say so, and how the operator updates them.
 */
function credentialsRefused(machineId: string, what: string, status: number, bmcMessage: string | undefined): string {
  return (
    `${what} returned HTTP ${status}: the BMC refused the stored credentials of machine '${machineId}'` +
    (bmcMessage ? ` (${bmcMessage.replace(/\.$/, "")})` : "") +
    `. Update them with: printf %s "$BMC_PASSWORD" | shoal machines edit ${machineId} --bmc-user USER --password-stdin` +
    ` (or PATCH /MultiFish/v1/Platform/${machineId} with Username and Password), then: shoal machines check ${machineId}`
  );
}

/**
 * The BmcError for an HTTP error status: transient for 5xx/429/408 (with the
 * BMC's Retry-After), the BMC's own Redfish error kept verbatim in `detail`.
 */
export function httpError(machineId: string, what: string, answer: HttpAnswer): BmcError {
  let parsed: unknown;
  try {
    parsed = answer.text === "" ? undefined : JSON.parse(answer.text);
  } catch {
    parsed = undefined;
  }
  const redfish = redfishErrorOf(parsed);
  const detail: Partial<BmcErrorDetail> = {};
  if (redfish.code !== undefined) detail.code = redfish.code;
  if (redfish["@Message.ExtendedInfo"] !== undefined) detail["@Message.ExtendedInfo"] = redfish["@Message.ExtendedInfo"];
  if (redfish.code === undefined && redfish["@Message.ExtendedInfo"] === undefined && answer.text !== "") {
    detail.body = answer.text.slice(0, BODY_SNIPPET);
  }
  const firstInfo = redfish["@Message.ExtendedInfo"]?.find(isRecord);
  const bmcMessage =
    (firstInfo && typeof firstInfo.Message === "string" ? firstInfo.Message : undefined) ?? redfish.message ?? redfish.code;
  const init: BmcErrorInit = {
    type: "HttpError",
    transient: isTransientStatus(answer.status),
    status: answer.status,
    machineId,
    message:
      answer.status === 401 || answer.status === 403
        ? credentialsRefused(machineId, what, answer.status, bmcMessage)
        : `${what} returned HTTP ${answer.status}` + (bmcMessage ? `: ${bmcMessage}` : ""),
    detail,
  };
  const retryAfterMs = parseRetryAfter(answer.headers["retry-after"]);
  if (retryAfterMs !== undefined) init.retryAfterMs = retryAfterMs;
  return new BmcError(init);
}
