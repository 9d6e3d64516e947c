/**
 * ETags for single resources and the If-Match check on PATCH/DELETE.
 *
 * Tags are weak by default, as Redfish services send them, and If-Match is
 * compared on the opaque tag alone: a client that echoes back what it read
 * (W/ prefix or not) always matches an unchanged resource.
 */
import { createHash } from "node:crypto";
import { RedfishError } from "./errors.js";

export interface EtagOptions {
  weak?: boolean;
}

function tag(seed: string, options: EtagOptions): string {
  const digest = createHash("sha256").update(seed).digest("base64url").slice(0, 22);
  return options.weak === false ? `"${digest}"` : `W/"${digest}"`;
}

/** An ETag from what a resource says: a change of content changes the tag. */
export function etagOfContent(content: unknown, options: EtagOptions = {}): string {
  return tag(JSON.stringify(content) ?? "", options);
}

/** An ETag from a version the owner keeps (revision number, update time): cheap and stable while unchanged. */
export function etagOfVersion(version: string | number, options: EtagOptions = {}): string {
  return tag(`v:${String(version)}`, options);
}

function opaque(entityTag: string): string {
  return entityTag.replace(/^W\//, "");
}

/** The entity tags listed in an If-Match value; "*" is returned as is. */
export function parseIfMatch(header: string): string[] {
  const trimmed = header.trim();
  if (trimmed === "*") return ["*"];
  return trimmed.match(/(?:W\/)?"[^"]*"/g) ?? [];
}

/** True when the request may proceed: no If-Match, "*", or one listed tag equal to the current one. */
export function ifMatchSatisfied(header: string | undefined, current: string): boolean {
  if (header === undefined || header.trim() === "") return true;
  const tags = parseIfMatch(header);
  if (tags.includes("*")) return true;
  const wanted = opaque(current);
  return tags.some((t) => opaque(t) === wanted);
}

/** Throws 412 PreconditionFailed when If-Match names another version of the resource. */
export function assertIfMatch(header: string | undefined, current: string): void {
  if (!ifMatchSatisfied(header, current)) throw RedfishError.preconditionFailed();
}
