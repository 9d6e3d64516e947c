/**
 * Reads a JSON request body into `ctx.state.body`, refusing what a handler
 * should never have to look at: bodies over the limit (413), bodies that are
 * not JSON or come compressed (415), text that does not parse or is not an object (400
 * MalformedJSON), prototype-polluting keys, numbers JSON cannot hold and
 * absurd nesting (400 naming the property).
 */
import type { IncomingMessage } from "node:http";
import { pointer as pointerTo } from "../../src/errors.js";
import { RedfishError, type Problem } from "../redfish/errors.js";
import type { GatewayMiddleware } from "./state.js";

export interface JsonBodyOptions {
  limitBytes: number;
  /** Deepest nesting of objects and arrays accepted. */
  maxDepth?: number;
}

const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);
const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);
const MAX_PROBLEMS = 50;

function tooLarge(limit: number): RedfishError {
  return new RedfishError(413, [
    { key: "GeneralError", resolution: `Send a request body of at most ${limit} bytes.` },
  ]);
}

function encodedBody(encoding: string): RedfishError {
  return new RedfishError(415, [
    {
      key: "GeneralError",
      resolution: `The gateway does not decode request bodies (Content-Encoding: ${encoding.slice(0, 64)}); send the JSON body unencoded.`,
    },
  ]);
}

/** Whether the body comes in an encoding other than none: it would otherwise be parsed as if it were plain JSON. */
function isEncoded(encoding: string): boolean {
  return encoding
    .split(",")
    .map((e) => e.trim().toLowerCase())
    .some((e) => e !== "" && e !== "identity");
}

function unsupportedMediaType(): RedfishError {
  return new RedfishError(415, [
    {
      key: "GeneralError",
      resolution: "Send the request body as JSON with the header Content-Type: application/json (charset UTF-8).",
    },
  ]);
}

/**
 * Collects the body up to `limit` bytes. Past the limit it keeps draining
 * (without keeping anything) rather than destroying the stream, so the client
 * still receives the 413 on a connection that stays usable.
 */
function readRaw(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      fn();
    };
    req.on("data", (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        settle(() => reject(tooLarge(limit)));
        return;
      }
      chunks.push(chunk);
    });
    req.once("end", () => settle(() => resolve(Buffer.concat(chunks))));
    req.once("error", () => settle(() => reject(RedfishError.malformedJson("The request body was cut off; send it whole."))));
    req.once("close", () => {
      if (!req.complete) settle(() => reject(RedfishError.malformedJson("The request body was cut off; send it whole.")));
    });
  });
}

interface Visit {
  value: unknown;
  pointer: string;
  depth: number;
  /** A key that must not exist: reported when reached, so problems come in document order. */
  forbidden?: boolean;
}

/** Walks the parsed value without recursion (a deep body must not blow the stack) and lists what it refuses. */
export function unsafeContent(root: unknown, maxDepth: number): Problem[] {
  const problems: Problem[] = [];
  const stack: Visit[] = [{ value: root, pointer: "#", depth: 0 }];
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value, pointer, depth, forbidden } = stack.pop() as Visit;
    if (forbidden) {
      problems.push({ key: "PropertyUnknown", args: [pointer.slice(2)], relatedProperties: [pointer] });
      continue;
    }
    if (typeof value === "number" && !Number.isFinite(value)) {
      problems.push({ key: "PropertyValueOutOfRange", args: [String(value), pointer.slice(2)], relatedProperties: [pointer] });
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= maxDepth) {
      problems.push({
        key: "PropertyValueError",
        args: [pointer.slice(2)],
        relatedProperties: [pointer],
        resolution: `Nest objects and arrays at most ${maxDepth} levels deep and resubmit the request.`,
      });
      continue;
    }
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) stack.push({ value: value[i], pointer: `${pointer}/${i}`, depth: depth + 1 });
      continue;
    }
    const keys = Object.keys(value);
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i] ?? "";
      stack.push({
        value: (value as Record<string, unknown>)[key],
        pointer: `${pointer}${pointerTo(key)}`,
        depth: depth + 1,
        forbidden: FORBIDDEN_KEYS.has(key),
      });
    }
  }
  return problems;
}

function hasBody(req: IncomingMessage): boolean {
  const length = req.headers["content-length"];
  return req.headers["transfer-encoding"] !== undefined || (length !== undefined && length !== "0");
}

export function jsonBody(options: JsonBodyOptions): GatewayMiddleware {
  const maxDepth = options.maxDepth ?? 32;
  const decoder = new TextDecoder("utf-8", { fatal: true });
  return async (ctx, next) => {
    if (!METHODS_WITH_BODY.has(ctx.method) || !hasBody(ctx.req)) return next();
    const encoding = ctx.get("Content-Encoding");
    if (isEncoded(encoding)) throw encodedBody(encoding);
    // A body without Content-Type is read as JSON (curl -d sends one, scripts may not); a declared other type is refused.
    if (ctx.get("Content-Type") !== "") {
      if (!ctx.request.is("json", "+json")) throw unsupportedMediaType();
      const charset = ctx.request.charset;
      if (charset && charset.toLowerCase() !== "utf-8" && charset.toLowerCase() !== "utf8") throw unsupportedMediaType();
    }
    const declared = Number(ctx.get("Content-Length") || "0");
    if (declared > options.limitBytes) throw tooLarge(options.limitBytes);
    const raw = await readRaw(ctx.req, options.limitBytes);
    let parsed: unknown;
    try {
      parsed = JSON.parse(decoder.decode(raw));
    } catch {
      throw RedfishError.malformedJson();
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw RedfishError.malformedJson("Send a JSON object ({...}) as the request body and resubmit the request.");
    }
    const problems = unsafeContent(parsed, maxDepth);
    if (problems.length > 0) throw RedfishError.badRequest(problems);
    ctx.state.body = parsed;
    return next();
  };
}

/** The body a handler requires: a 400 MalformedJSON when the request came without one. */
export function requireBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw RedfishError.malformedJson("This request needs a JSON object as its body.");
  }
  return body as Record<string, unknown>;
}
