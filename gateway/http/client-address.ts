/**
 * Who sent a request: the socket's peer, or, when that peer is a proxy the
 * operator trusts, the nearest untrusted address in X-Forwarded-For. Anyone
 * else's X-Forwarded-For is ignored, so a client cannot pick its own identity.
 */
import { BlockList, isIP } from "node:net";

export type TrustedProxies = BlockList | null;

/** "::ffff:10.0.0.1" -> "10.0.0.1": one client, one key, whichever stack accepted it. */
export function normaliseAddress(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped?.[1] ?? address;
}

/** Builds the trust list from config entries ("10.0.0.1", "10.0.0.0/8", "::1"); null when there are none. */
export function trustedProxies(entries: readonly string[]): TrustedProxies {
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

function isTrusted(address: string, trusted: TrustedProxies): boolean {
  if (!trusted) return false;
  const family = isIP(address);
  if (family === 0) return false;
  return trusted.check(address, family === 6 ? "ipv6" : "ipv4");
}

export function clientAddress(
  socketAddress: string | undefined,
  forwardedFor: string | undefined,
  trusted: TrustedProxies,
): string {
  const peer = normaliseAddress(socketAddress ?? "");
  if (!forwardedFor || !isTrusted(peer, trusted)) return peer;
  const hops = forwardedFor
    .split(",")
    .map((h) => normaliseAddress(h.trim()))
    .filter((h) => h !== "");
  let client = peer;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i] ?? "";
    if (isIP(hop) === 0) break;
    client = hop;
    if (!isTrusted(hop, trusted)) break;
  }
  return client;
}
