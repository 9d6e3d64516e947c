/**
 * The signature a delivery carries, so a receiver can check it came from us
 * and was not altered: HMAC-SHA256, keyed with the subscription's secret,
 * over `<event id>.<body>`, hex, in `X-Shoal-Signature: sha256=<hex>`.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Shoal-Signature";
export const EVENT_ID_HEADER = "X-Shoal-Event-Id";

export function sign(secret: string, eventId: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${eventId}.${body}`).digest("hex")}`;
}

/** What a receiver does: recompute and compare in constant time. */
export function verify(secret: string, eventId: string, body: string, header: string): boolean {
  const expected = Buffer.from(sign(secret, eventId, body));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
