/**
 * Serves the operations console (built by `npm run build` into lib/ui/) at
 * `/` and `/ui/`. The files are read once, when the gateway is made, into a
 * table keyed by file name: a request can only ever name an entry of that
 * table, so no path (`..`, encoded or not, or a sub-folder) reaches the disk.
 * Hashed assets are cached for a year; index.html is revalidated every time
 * so a new build is picked up at once. Everything else passes on untouched
 * (the API, its auth, and the 404/405 answers).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import type { GatewayMiddleware } from "../http/state.js";

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
};

/** Only same-origin code, styles and requests: the console never loads anything from elsewhere. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** esbuild's `[name]-[hash]` file names: their content never changes under the same name. */
const HASHED = /-[A-Z0-9]{8}\.[a-z]+$/;
const FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const INDEX = "index.html";
const INDEX_PATHS = new Set(["/", "/ui", "/ui/", "/ui/index.html"]);

interface StaticFile {
  body: Buffer;
  /** Whether a gzipped copy is worth sending (text, over a packet's size). */
  compressible: boolean;
  /** Made on the first request that accepts gzip, so start-up does not pay for it. */
  gzipped?: Buffer;
  type: string;
  etag: string;
  cacheControl: string;
}

export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL("../../ui/", import.meta.url));

function load(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  for (const name of readdirSync(dir)) {
    const type = CONTENT_TYPES[extname(name)];
    const path = join(dir, name);
    if (!type || !FILE_NAME.test(name) || !statSync(path).isFile()) continue;
    const body = readFileSync(path);
    const textual = type.startsWith("text/") || type.startsWith("application/json") || type === "image/svg+xml";
    files.set(name, {
      body,
      compressible: textual && body.length > 512,
      type,
      etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 22)}"`,
      cacheControl: HASHED.test(name) ? "public, max-age=31536000, immutable" : "no-cache",
    });
  }
  return files;
}

function acceptsGzip(header: string): boolean {
  return header.split(",").some((part) => {
    const [coding, ...params] = part.split(";").map((s) => s.trim().toLowerCase());
    if (coding !== "gzip") return false;
    const q = params.find((p) => p.startsWith("q="));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

export function serveConsole(options: { dir?: string } = {}): GatewayMiddleware {
  const files = load(options.dir ?? DEFAULT_CONSOLE_DIR);
  return async (ctx, next) => {
    if (ctx.method !== "GET" && ctx.method !== "HEAD") return next();
    const name = INDEX_PATHS.has(ctx.path) ? INDEX : ctx.path.startsWith("/ui/") ? ctx.path.slice(4) : undefined;
    const file = name !== undefined && FILE_NAME.test(name) ? files.get(name) : undefined;
    if (!file) return next();

    ctx.set("Cache-Control", file.cacheControl);
    ctx.set("ETag", file.etag);
    ctx.set("Vary", "Accept-Encoding");
    if (file.type.startsWith("text/html")) {
      ctx.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
      ctx.set("X-Frame-Options", "DENY");
      ctx.set("Referrer-Policy", "no-referrer");
    }
    ctx.type = file.type;
    if (ctx.get("If-None-Match").split(/\s*,\s*/).includes(file.etag)) {
      ctx.status = 304;
      return;
    }
    ctx.status = 200;
    if (file.compressible && acceptsGzip(ctx.get("Accept-Encoding"))) {
      file.gzipped ??= gzipSync(file.body, { level: 9 });
      ctx.set("Content-Encoding", "gzip");
      ctx.body = file.gzipped;
    } else {
      ctx.body = file.body;
    }
    // Koa would reset the type from a Buffer body; say it again.
    ctx.type = file.type;
  };
}
