/**
 * The operator's credentials for a gateway with auth on. Kept for the tab's
 * life (sessionStorage) so a reload does not log out, and only ever sent in
 * the Authorization header: never in a URL.
 */
const KEY = "shoal.console.authorization";

let current: string | null = readStored();

function readStored(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function authorizationHeader(): string | null {
  return current;
}

export function basicAuthorization(username: string, password: string): string {
  const bytes = new TextEncoder().encode(`${username}:${password}`);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

export function bearerAuthorization(token: string): string {
  return `Bearer ${token.trim()}`;
}

export function setAuthorization(value: string | null): void {
  current = value;
  try {
    if (value === null) sessionStorage.removeItem(KEY);
    else sessionStorage.setItem(KEY, value);
  } catch {
    // Storage refused (private mode): the credentials last until the page is reloaded.
  }
}
