/**
 * Who may log in, and with which role: the accounts seeded from
 * configuration, plus the BASIC_AUTH_USERNAME of the existing basic setting
 * as an Administrator. Passwords are held as scrypt hashes only (the basic
 * setting's is compared as a SHA-256 digest, as it always was).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { AuthConfig } from "../config.js";
import { hashPassword, verifyPassword } from "./password-hash.js";
import type { RoleId } from "./roles.js";

export interface Account {
  id: string;
  userName: string;
  roleId: RoleId;
  /** Where it comes from: the accounts file, or the basic-auth setting. */
  source: "AccountsFile" | "BasicAuthSetting";
}

interface Held extends Account {
  verify: (password: string) => Promise<boolean>;
}

function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/**
 * Compared even for an unknown user, so the response time does not say which
 * user names exist. Random salt and key of the real shape: verifying costs one
 * scrypt as for a real account, and making it costs none at module load (every
 * process that loads the gateway would otherwise pay a synchronous scrypt).
 */
const DUMMY_HASH = `scrypt$${randomBytes(16).toString("base64url")}$${randomBytes(32).toString("base64url")}`;

export class AccountStore {
  private readonly byName = new Map<string, Held>();

  constructor(auth: AuthConfig) {
    if (auth.basic !== null && auth.basic.username !== "") {
      const expected = digest(auth.basic.password);
      this.add({
        id: auth.basic.username,
        userName: auth.basic.username,
        roleId: "Administrator",
        source: "BasicAuthSetting",
        verify: (password) => Promise.resolve(timingSafeEqual(digest(password), expected)),
      });
    }
    for (const seed of auth.accounts ?? []) {
      const hash = seed.passwordHash ?? hashPassword(seed.password ?? "");
      this.add({ id: seed.userName, userName: seed.userName, roleId: seed.roleId, source: "AccountsFile", verify: (password) => verifyPassword(password, hash) });
    }
  }

  private add(account: Held): void {
    // The accounts file wins over the basic setting for the same name: it is the more specific.
    this.byName.set(account.userName, account);
  }

  get size(): number {
    return this.byName.size;
  }

  list(): Account[] {
    return [...this.byName.values()].map(publicView).sort((a, b) => a.id.localeCompare(b.id));
  }

  get(id: string): Account | undefined {
    const held = this.byName.get(id);
    return held ? publicView(held) : undefined;
  }

  /** The account when the password is its own; undefined otherwise (after the same work either way). */
  async verify(userName: string, password: string): Promise<Account | undefined> {
    const held = this.byName.get(userName);
    if (!held) {
      await verifyPassword(password, DUMMY_HASH);
      return undefined;
    }
    return (await held.verify(password)) ? publicView(held) : undefined;
  }
}

function publicView(held: Held): Account {
  return { id: held.id, userName: held.userName, roleId: held.roleId, source: held.source };
}
