/**
 * Account passwords as scrypt hashes (node:crypto): `scrypt$<salt>$<key>`,
 * both base64url. The plain password is never kept once hashed.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual } from "node:crypto";

const KEY_LENGTH = 32;
const PREFIX = "scrypt$";

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, KEY_LENGTH);
  return `${PREFIX}${salt.toString("base64url")}$${key.toString("base64url")}`;
}

/** Whether `text` has the shape hashPassword makes. */
export function isPasswordHash(text: string): boolean {
  return /^scrypt\$[A-Za-z0-9_-]{16,}\$[A-Za-z0-9_-]{40,}$/.test(text);
}

/** Verifies off the event loop's thread (scrypt is deliberately slow). */
export function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [, salt, key] = stored.split("$");
  if (salt === undefined || key === undefined) return Promise.resolve(false);
  const expected = Buffer.from(key, "base64url");
  return new Promise((resolve) => {
    scrypt(password, Buffer.from(salt, "base64url"), expected.length, (error, derived) => {
      resolve(error === null && derived.length === expected.length && timingSafeEqual(derived, expected));
    });
  });
}
