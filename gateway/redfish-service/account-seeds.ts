/**
 * Accounts seeded from configuration: AUTH_ACCOUNTS_FILE names a JSON file
 * holding `[{"UserName", "RoleId", "Password" | "PasswordHash"}]`. A plain
 * Password is hashed at start-up; a PasswordHash (from `hashPassword`) is
 * kept as is, so the file need hold no plain password at all.
 */
import { readFileSync } from "node:fs";
import { isPasswordHash } from "./password-hash.js";
import { isRoleId, ROLE_IDS, type RoleId } from "./roles.js";

export interface AccountSeed {
  userName: string;
  roleId: RoleId;
  /** Exactly one of password and passwordHash. */
  password?: string;
  passwordHash?: string;
}

const USER_NAME = /^[A-Za-z0-9._@-]{1,64}$/;

/** Reads and checks the file; throws an Error whose message says what is wrong (config.ts names the variable). */
export function readAccountSeeds(file: string): AccountSeed[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(parsed)) throw new Error(`${file} must hold a JSON array of accounts`);
  const seen = new Set<string>();
  return parsed.map((entry: unknown, i): AccountSeed => {
    const where = `${file}[${i}]`;
    if (typeof entry !== "object" || entry === null) throw new Error(`${where} is not an object`);
    const { UserName, RoleId, Password, PasswordHash, ...rest } = entry as Record<string, unknown>;
    const extra = Object.keys(rest)[0];
    if (extra !== undefined) throw new Error(`${where}: unknown property ${extra}`);
    if (typeof UserName !== "string" || !USER_NAME.test(UserName)) throw new Error(`${where}: UserName must be 1-64 of A-Z a-z 0-9 . _ @ -`);
    if (seen.has(UserName)) throw new Error(`${where}: UserName '${UserName}' appears twice`);
    seen.add(UserName);
    if (!isRoleId(RoleId)) throw new Error(`${where}: RoleId must be one of ${ROLE_IDS.join(", ")}`);
    if (typeof Password === "string" && Password !== "" && PasswordHash === undefined) return { userName: UserName, roleId: RoleId, password: Password };
    if (typeof PasswordHash === "string" && isPasswordHash(PasswordHash) && Password === undefined) {
      return { userName: UserName, roleId: RoleId, passwordHash: PasswordHash };
    }
    throw new Error(`${where}: give either a non-empty Password or a PasswordHash of the form scrypt$<salt>$<key>`);
  });
}
