/**
 * The gateway's REST API as the CLI uses it: undici's request (not fetch,
 * which refuses "bad ports" such as 6000 that an operator may well use), JSON
 * bodies, auth headers, and one typed error per failed request. Nothing here
 * knows about jobs or machines; commands build paths from docs/api.md.
 */
import { STATUS_CODES } from "node:http";
import type { Readable } from "node:stream";
import pLimit from "p-limit";
import { request } from "undici";
import { CliError, ExitCode } from "./exit-codes.js";
import { errorLines, messageKey, messageLine, redfishMessages } from "./redfish-error.js";
import { authHint } from "./resolutions.js";
import { isObject } from "../src/problems.js";

export const API_ROOT = "/MultiFish/v1";
export const DEFAULT_URL = "http://127.0.0.1:8080";

export interface Credentials {
  user?: string | undefined;
  password?: string | undefined;
  token?: string | undefined;
}

export interface GatewayClientOptions {
  url: string;
  credentials?: Credentials;
  /** Per request; a gateway that does not answer in time counts as unreachable. */
  timeoutMs?: number;
}

export interface GatewayResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, the raw text when it is not JSON, or null when empty. */
  body: unknown;
}

/** A response whose body is read as it arrives; destroy the body to hang up. */
export interface GatewayStream {
  status: number;
  body: Readable;
}

/** A stream the gateway keeps alive sends a comment every 15 s; this much silence means it is gone. */
const STREAM_SILENCE_MS = 60_000;

/** The gateway answered with an error status. */
export class GatewayError extends CliError {
  readonly status: number;
  readonly statusText: string;
  readonly body: unknown;
  /** First message's key without registry version, e.g. "ResourceInUse". */
  readonly messageKey: string | null;

  /** `hints` replace the gateway's own resolutions with what the CLI knows better (which flag to give). */
  constructor(status: number, statusText: string, body: unknown, exitCode?: number, hints?: string[]) {
    // 4xx: the request was wrong (usage/validation). 5xx: the service is in trouble.
    const messages = redfishMessages(body);
    const lines = hints
      ? [...(messages.length > 0 ? messages.map(messageLine) : errorLines(status, statusText, body)), ...hints.map((h) => `  ${h}`)]
      : errorLines(status, statusText, body);
    super(exitCode ?? (status >= 400 && status < 500 ? ExitCode.Usage : ExitCode.Unavailable), lines, { jsonBody: body });
    this.name = "GatewayError";
    this.status = status;
    this.statusText = statusText;
    this.body = body;
    this.messageKey = messageKey(redfishMessages(body)[0]?.messageId ?? null);
  }
}

/** No answer: connection refused, DNS failure, timeout. */
export class GatewayUnreachableError extends CliError {
  constructor(url: string, reason: string) {
    super(ExitCode.Unavailable, [`cannot reach the gateway at ${url}: ${reason}`, "Is it running? Start it with `shoal serve`, or point --url / SHOAL_URL at it."]);
    this.name = "GatewayUnreachableError";
  }
}

/** Why a request got no answer: the system's code (ECONNREFUSED, ENOTFOUND...) or the deepest message. */
function networkReason(error: unknown): string {
  if (error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError")) return "no answer in time";
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    if (code === "UND_ERR_CONNECT_TIMEOUT" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT") return "no answer in time";
    message = current.message || message;
    current = current.cause;
  }
  return message;
}

export function authorizationHeader(credentials: Credentials | undefined): string | undefined {
  if (!credentials) return undefined;
  if (credentials.token) return `Bearer ${credentials.token}`;
  if (credentials.user !== undefined) {
    return `Basic ${Buffer.from(`${credentials.user}:${credentials.password ?? ""}`, "utf8").toString("base64")}`;
  }
  return undefined;
}

export class GatewayClient {
  readonly base: URL;
  private readonly authorization: string | undefined;
  private readonly timeoutMs: number;

  constructor(options: GatewayClientOptions) {
    // `--url http://host:8080/MultiFish/v1` (the API root, as the gateway logs it) means the gateway at http://host:8080.
    const base = new URL(options.url);
    base.pathname = base.pathname.replace(/\/+$/, "").replace(new RegExp(`${API_ROOT}$`), "") || "/";
    this.base = base;
    this.authorization = authorizationHeader(options.credentials);
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /**
   * A path under the API root ("/JobService/Jobs"), or an absolute path the
   * gateway handed out ("@odata.id", "Location"), as a full URL. A gateway
   * behind a path prefix keeps the prefix.
   */
  resolve(path: string): URL {
    if (/^https?:\/\//.test(path)) return new URL(path);
    const prefix = this.base.pathname.replace(/\/+$/, "");
    const full = path.startsWith(`${API_ROOT}/`) || path === API_ROOT ? path : `${API_ROOT}${path.startsWith("/") ? "" : "/"}${path}`;
    return new URL(`${prefix}${full}`, this.base.origin);
  }

  async request(method: string, path: string, body?: unknown): Promise<GatewayResponse> {
    const url = this.resolve(path);
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.authorization) headers.authorization = this.authorization;
    let payload: string | undefined;
    if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    let status: number;
    let responseHeaders: Headers;
    let text: string;
    try {
      const response = await request(url, {
        method: method as "GET",
        headers,
        body: payload,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
      status = response.statusCode;
      responseHeaders = new Headers();
      for (const [name, value] of Object.entries(response.headers)) {
        if (value !== undefined) responseHeaders.set(name, Array.isArray(value) ? value.join(", ") : value);
      }
      text = await response.body.text();
    } catch (error) {
      throw new GatewayUnreachableError(this.base.origin, networkReason(error));
    }
    let parsed: unknown = null;
    if (text !== "") {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (status === 401) throw new GatewayError(status, STATUS_CODES[status] ?? "", parsed, undefined, [authHint(this.authorization !== undefined)]);
    if (status >= 400) throw new GatewayError(status, STATUS_CODES[status] ?? "", parsed);
    return { status, headers: responseHeaders, body: parsed };
  }

  /**
   * Opens a long-lived GET (a Server-Sent Event stream) at a path from the
   * gateway's root, such as "/redfish/v1/EventService/SSE": no overall
   * timeout, only one for the headers and one for silence between chunks.
   * Throws GatewayUnreachableError when no answer comes; any status is returned.
   */
  async openStream(rootPath: string, headers: Record<string, string>, signal: AbortSignal): Promise<GatewayStream> {
    const prefix = this.base.pathname.replace(/\/+$/, "");
    const url = new URL(`${prefix}${rootPath}`, this.base.origin);
    const all: Record<string, string> = { accept: "text/event-stream", ...headers };
    if (this.authorization) all.authorization = this.authorization;
    try {
      const response = await request(url, { method: "GET", headers: all, signal, headersTimeout: this.timeoutMs, bodyTimeout: STREAM_SILENCE_MS });
      return { status: response.statusCode, body: response.body };
    } catch (error) {
      throw new GatewayUnreachableError(this.base.origin, networkReason(error));
    }
  }

  async get(path: string): Promise<Record<string, unknown>> {
    return objectBody(await this.request("GET", path), path);
  }

  post(path: string, body: unknown = {}): Promise<GatewayResponse> {
    return this.request("POST", path, body);
  }

  patch(path: string, body: unknown): Promise<GatewayResponse> {
    return this.request("PATCH", path, body);
  }

  delete(path: string): Promise<GatewayResponse> {
    return this.request("DELETE", path);
  }

  /** The Members of each page of a collection, following nextLink, until `limit` members were seen. */
  private async *pages(first: string, limit?: number): AsyncGenerator<unknown[]> {
    let next: string | null = first;
    let seen = 0;
    while (next !== null && (limit === undefined || seen < limit)) {
      const page = await this.get(next);
      const members = Array.isArray(page.Members) ? page.Members : [];
      seen += members.length;
      yield members;
      const nextLink = page["Members@odata.nextLink"];
      next = typeof nextLink === "string" && members.length > 0 ? nextLink : null;
    }
  }

  /** The members inline, or undefined when the gateway answered with links only. */
  private async expandedMembers(path: string, limit?: number): Promise<Record<string, unknown>[] | undefined> {
    const found: Record<string, unknown>[] = [];
    const first = withQuery(path, limit === undefined ? { $expand: "." } : { $expand: ".", $top: String(limit) });
    for await (const members of this.pages(first, limit)) {
      const inline = members.filter((m): m is Record<string, unknown> => isObject(m) && Object.keys(m).length > 1);
      if (inline.length !== members.length) return undefined;
      found.push(...inline);
    }
    return limit === undefined ? found : found.slice(0, limit);
  }

  /**
   * The member links of a collection, following `Members@odata.nextLink`
   * pages; at most `limit` when given (fetched with `$top` so the gateway
   * sends no more than needed).
   */
  async memberLinks(path: string, limit?: number): Promise<string[]> {
    const links: string[] = [];
    const first = limit === undefined ? path : withQuery(path, { $top: String(limit) });
    for await (const members of this.pages(first, limit)) {
      for (const member of members) {
        if (isObject(member) && typeof member["@odata.id"] === "string") links.push(member["@odata.id"]);
      }
    }
    return limit === undefined ? links : links.slice(0, limit);
  }

  /**
   * Every member of a collection, in collection order: a page at a time with
   * `$expand` when the gateway offers it, else one GET per member, a few in
   * parallel (a MultiFish gateway has no $expand).
   */
  async members(path: string, options: { limit?: number; concurrency?: number } = {}): Promise<Record<string, unknown>[]> {
    const expanded = await this.expandedMembers(path, options.limit);
    if (expanded) return expanded;
    const links = await this.memberLinks(path, options.limit);
    const limit = pLimit(options.concurrency ?? 8);
    return Promise.all(links.map((link) => limit(() => this.get(link))));
  }
}

function objectBody(response: GatewayResponse, path: string): Record<string, unknown> {
  if (!isObject(response.body)) {
    throw new CliError(ExitCode.Unavailable, [`the gateway sent something other than a JSON object for ${path}`]);
  }
  return response.body;
}

export function withQuery(path: string, query: Record<string, string>): string {
  // Written by hand so "$top" stays readable in the gateway's request log.
  const [base, existing] = path.split("?", 2);
  const pairs = (existing ? existing.split("&") : []).filter((pair) => !((pair.split("=")[0] ?? "") in query));
  for (const [k, v] of Object.entries(query)) pairs.push(`${k}=${encodeURIComponent(v)}`);
  return `${base}?${pairs.join("&")}`;
}

/** Encodes an id for a path segment; ids come from the command line. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
