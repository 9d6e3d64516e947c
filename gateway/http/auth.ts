/**
 * Basic or bearer-token authentication, as MultiFish offers them. Secrets are
 * compared as SHA-256 digests with timingSafeEqual, so neither their content
 * nor their length shows in the response time. The service root stays open.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { authRequired, type AuthConfig } from "../config.js";
import { RedfishError } from "../redfish/errors.js";
import { SERVICE_ROOT } from "../redfish/paths.js";
import type { GatewayMiddleware } from "./state.js";
import { OPEN_REDFISH_PATHS } from "../redfish-service/paths.js";

const REALM = "Shoal";

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

function matches(candidate: Buffer, expected: Buffer): boolean {
  return timingSafeEqual(candidate, expected);
}

const OPEN_PATHS = new Set([SERVICE_ROOT, `${SERVICE_ROOT}/`, ...OPEN_REDFISH_PATHS]);

function unauthorized(mode: "basic" | "token", credentialsGiven: boolean): RedfishError {
  const challenge = mode === "basic" ? `Basic realm="${REALM}", charset="UTF-8"` : `Bearer realm="${REALM}"`;
  return new RedfishError(401, [{ key: credentialsGiven ? "InsufficientPrivilege" : "NoValidSession" }], {
    "WWW-Authenticate": challenge,
  });
}

/** Splits "Basic dXNlcjpwYXNz" into user and password; undefined when it is not that shape. */
export function parseBasic(header: string): { username: string; password: string } | undefined {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

export function parseBearer(header: string): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}

export function authenticate(config: AuthConfig): GatewayMiddleware {
  if (!authRequired(config)) return (_ctx, next) => next();
  const mode = config.mode === "token" ? "token" : "basic";
  const user = digest(config.basic?.username ?? "");
  const pass = digest(config.basic?.password ?? "");
  const tokens = config.tokens.map(digest);

  /** Who the header proves the caller to be (the user name, or "token"); undefined when it proves nothing. */
  const principal = (header: string): string | undefined => {
    if (mode === "basic") {
      const given = parseBasic(header);
      if (!given) return undefined;
      // Both comparisons always run: which half was wrong must not show in the timing.
      const userOk = matches(digest(given.username), user);
      const passOk = matches(digest(given.password), pass);
      return userOk && passOk ? given.username : undefined;
    }
    const token = parseBearer(header);
    if (token === undefined) return undefined;
    const candidate = digest(token);
    let found = false;
    for (const expected of tokens) found = matches(candidate, expected) || found;
    return found ? "token" : undefined;
  };

  return async (ctx, next) => {
    if (OPEN_PATHS.has(ctx.path)) return next();
    const header = ctx.get("Authorization");
    if (header === "") throw unauthorized(mode, false);
    const who = principal(header);
    if (who === undefined) throw unauthorized(mode, true);
    ctx.state.principal = who;
    return next();
  };
}
