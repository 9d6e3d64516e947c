/**
 * The console's only way to the gateway: fetch against the public REST API
 * (`/MultiFish/v1`), same origin. Redfish errors become ApiError values
 * carrying every @Message.ExtendedInfo entry, so forms can show each problem
 * next to its field. A 401 tells the shell to show the login form.
 */
import { authorizationHeader } from "./credentials.js";

export const ROOT = "/MultiFish/v1";

export interface ExtendedInfo {
  MessageId: string;
  Message: string;
  RelatedProperties?: string[];
  Resolution?: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: ExtendedInfo[] = [],
    /** The scheme a 401 asked for: "basic" or "token". */
    readonly challenge: "basic" | "token" | null = null,
  ) {
    super(message);
    this.name = "ApiError";
  }
}

type UnauthorizedListener = (challenge: "basic" | "token") => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called whenever the gateway answers 401 (credentials missing, wrong, or revoked). */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function errorFrom(status: number, body: unknown, challenge: "basic" | "token" | null): ApiError {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const infos = Array.isArray(error?.["@Message.ExtendedInfo"]) ? (error["@Message.ExtendedInfo"] as unknown[]) : [];
  const details = infos.filter(isRecord).map((i) => ({
    MessageId: String(i.MessageId ?? ""),
    Message: String(i.Message ?? ""),
    RelatedProperties: Array.isArray(i.RelatedProperties) ? i.RelatedProperties.map(String) : [],
    ...(typeof i.Resolution === "string" ? { Resolution: i.Resolution } : {}),
  }));
  const message = typeof error?.message === "string" ? error.message : `The gateway answered HTTP ${status}.`;
  return new ApiError(status, message, details, challenge);
}

function challengeOf(response: Response): "basic" | "token" | null {
  const header = response.headers.get("WWW-Authenticate") ?? "";
  if (/^bearer/i.test(header)) return "token";
  if (/^basic/i.test(header)) return "basic";
  return null;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** One request; resolves with the parsed JSON body (an empty object for an empty body). */
export async function api<T = Record<string, unknown>>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
  const authorization = authorizationHeader();
  if (authorization) headers.Authorization = authorization;
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  // credentials: "omit" keeps the browser from popping its own Basic-auth dialog on a 401.
  const response = await fetch(path.startsWith("/") ? path : `${ROOT}/${path}`, {
    method,
    headers,
    credentials: "omit",
    cache: "no-store",
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  let body: unknown = {};
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = { error: { message: text.slice(0, 300) } };
    }
  }
  if (!response.ok) {
    const challenge = response.status === 401 ? challengeOf(response) : null;
    if (challenge) for (const l of unauthorizedListeners) l(challenge);
    throw errorFrom(response.status, body, challenge);
  }
  return body as T;
}

/** Every member of a collection, inline ($expand=.), following nextLink page by page. */
export async function listAll<T>(path: string, options: { pageSize?: number; max?: number } = {}): Promise<T[]> {
  const pageSize = options.pageSize ?? 200;
  const max = options.max ?? 10_000;
  const out: T[] = [];
  for (let skip = 0; out.length < max; skip += pageSize) {
    const page = await api<{ Members?: T[]; "Members@odata.count"?: number }>("GET", `${path}?$expand=.&$top=${pageSize}&$skip=${skip}`);
    const members = page.Members ?? [];
    out.push(...members);
    const total = page["Members@odata.count"] ?? out.length;
    if (members.length === 0 || skip + pageSize >= total) break;
  }
  return out.slice(0, max);
}

/** The newest `top` members of a collection (collections list newest first). */
export async function listTop<T>(path: string, top: number): Promise<{ items: T[]; total: number }> {
  const page = await api<{ Members?: T[]; "Members@odata.count"?: number }>("GET", `${path}?$expand=.&$top=${top}`);
  return { items: page.Members ?? [], total: page["Members@odata.count"] ?? 0 };
}

export function errorText(error: unknown): string {
  if (error instanceof ApiError) {
    const lines = error.details.map((d) => d.Message).filter((m) => m !== "");
    return lines.length > 0 ? lines.join(" ") : error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
