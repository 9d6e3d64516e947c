/**
 * Who a request is, for both APIs: a Redfish session token (X-Auth-Token),
 * Basic credentials (the BASIC_AUTH_USERNAME setting, or an account from
 * AUTH_ACCOUNTS_FILE), or a bearer token from TOKEN_AUTH_TOKENS, as MultiFish
 * offers them. Each maps to a role (the basic setting and the tokens to
 * Administrator); authorize() then decides what the role may do.
 *
 * Tokens are compared as SHA-256 digests with timingSafeEqual, so neither
 * their content nor their length shows in the response time. The entry
 * points (service roots, odata, $metadata) and the session login stay open.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { authRequired, type AuthConfig } from "../config.js";
import { RedfishError } from "../redfish/errors.js";
import { SERVICE_ROOT } from "../redfish/paths.js";
import type { AccountStore } from "../redfish-service/accounts.js";
import { isLoginPath, OPEN_REDFISH_PATHS } from "../redfish-service/paths.js";
import type { SessionStore } from "../redfish-service/sessions.js";
import type { GatewayContext, GatewayMiddleware } from "./state.js";

const REALM = "Shoal";

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
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

export interface Identity {
  accounts: AccountStore;
  sessions: SessionStore;
}

export function authenticate(config: AuthConfig, identity: Identity): GatewayMiddleware {
  const required = authRequired(config);
  const mode = config.mode === "token" ? "token" : "basic";
  const tokens = config.tokens.map(digest);

  const bearer = (header: string): boolean => {
    const token = parseBearer(header);
    if (token === undefined || tokens.length === 0) return false;
    const candidate = digest(token);
    let found = false;
    for (const expected of tokens) found = timingSafeEqual(candidate, expected) || found;
    return found;
  };

  /** Sets principal and role when the request proves who it is; says whether it did. */
  const identify = async (ctx: GatewayContext): Promise<boolean> => {
    const token = ctx.get("X-Auth-Token");
    if (token !== "") {
      const session = identity.sessions.use(token);
      if (!session) return false;
      ctx.state.principal = session.userName;
      ctx.state.role = session.roleId;
      ctx.state.sessionId = session.id;
      return true;
    }
    const header = ctx.get("Authorization");
    const basic = parseBasic(header);
    if (basic) {
      const account = await identity.accounts.verify(basic.username, basic.password);
      if (!account) return false;
      ctx.state.principal = account.userName;
      ctx.state.role = account.roleId;
      return true;
    }
    if (bearer(header)) {
      ctx.state.principal = "token";
      ctx.state.role = "Administrator";
      return true;
    }
    return false;
  };

  return async (ctx, next) => {
    const given = ctx.get("X-Auth-Token") !== "" || ctx.get("Authorization") !== "";
    if (!required) {
      // Auth off: everyone may do everything; a session still says who is asking.
      if (given) await identify(ctx).catch(() => false);
      if (ctx.state.role === undefined) ctx.state.role = "Administrator";
      return next();
    }
    if (OPEN_PATHS.has(ctx.path) || (ctx.method === "POST" && isLoginPath(ctx.path))) {
      if (given) await identify(ctx);
      return next();
    }
    if (!given) throw unauthorized(mode, false);
    if (!(await identify(ctx))) throw unauthorized(mode, true);
    return next();
  };
}
