/**
 * Redfish sessions (DSP0266 "Session management"): a login makes a session
 * and a token; the token, sent as X-Auth-Token, stands for the account on
 * both APIs until the session is deleted or sits idle for SessionTimeout
 * seconds. Tokens are kept as SHA-256 digests, so a heap dump does not hand
 * them out. Sessions live in memory: a restart logs everyone out.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Account } from "./accounts.js";
import type { RoleId } from "./roles.js";

export interface Session {
  id: string;
  userName: string;
  roleId: RoleId;
  createdTime: string;
  /** Milliseconds clock of the last request the session made. */
  lastUsedMs: number;
  /** The API root it was made under, for its `@odata.id`. */
  root: string;
}

export const SESSION_TIMEOUT_DEFAULT_SECONDS = 1800;
export const SESSION_TIMEOUT_MIN_SECONDS = 30;
export const SESSION_TIMEOUT_MAX_SECONDS = 86400;

function digest(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("base64url");
}

export class SessionStore {
  private readonly byDigest = new Map<string, Session>();
  private readonly digestById = new Map<string, string>();
  timeoutSeconds = SESSION_TIMEOUT_DEFAULT_SECONDS;

  constructor(private readonly now: () => number = Date.now) {}

  create(account: Account, root: string): { session: Session; token: string } {
    const token = randomBytes(32).toString("base64url");
    const id = randomBytes(12).toString("hex");
    const nowMs = this.now();
    const session: Session = {
      id,
      userName: account.userName,
      roleId: account.roleId,
      createdTime: new Date(nowMs).toISOString().replace(/\.\d{3}Z$/, "Z"),
      lastUsedMs: nowMs,
      root,
    };
    const key = digest(token);
    this.byDigest.set(key, session);
    this.digestById.set(id, key);
    return { session, token };
  }

  /** The live session a token names, its idle clock restarted; undefined when there is none or it timed out. */
  use(token: string): Session | undefined {
    const key = digest(token);
    const session = this.byDigest.get(key);
    if (!session) return undefined;
    if (this.expired(session)) {
      this.delete(session.id);
      return undefined;
    }
    session.lastUsedMs = this.now();
    return session;
  }

  get(id: string): Session | undefined {
    const key = this.digestById.get(id);
    const session = key === undefined ? undefined : this.byDigest.get(key);
    if (session && this.expired(session)) {
      this.delete(id);
      return undefined;
    }
    return session;
  }

  list(): Session[] {
    this.prune();
    return [...this.byDigest.values()].sort((a, b) => a.createdTime.localeCompare(b.createdTime) || a.id.localeCompare(b.id));
  }

  delete(id: string): boolean {
    const key = this.digestById.get(id);
    if (key === undefined) return false;
    this.digestById.delete(id);
    this.byDigest.delete(key);
    return true;
  }

  private expired(session: Session): boolean {
    return this.now() - session.lastUsedMs > this.timeoutSeconds * 1000;
  }

  private prune(): void {
    for (const session of [...this.byDigest.values()]) if (this.expired(session)) this.delete(session.id);
  }
}
