/**
 * A PATCH body seen as the properties it sets: every leaf (a value that is
 * not a plain object; arrays are leaves, set whole) with its slash path, e.g.
 * `Oem/OpenBmc/Fan/FanZones/zone_cpu/FailSafePercent`. Plans, no-op skips,
 * snapshots and reverts all work on these paths, so they agree on exactly
 * which properties an action set.
 */
import { isDeepStrictEqual } from "node:util";
import { isRecord } from "../errors.js";

/** Property path -> value, for one manager. */
export type PropertyValues = Record<string, unknown>;

/** Manager id -> the properties an action set on it. */
export type ManagerSnapshot = Record<string, PropertyValues>;

const escape = (segment: string): string => segment.replace(/~/g, "~0").replace(/\//g, "~1");
const unescape = (segment: string): string => segment.replace(/~1/g, "/").replace(/~0/g, "~");

/** The leaves of a PATCH body, in body order. */
export function leavesOf(body: unknown, prefix = ""): { path: string; value: unknown }[] {
  if (!isRecord(body)) return prefix === "" ? [] : [{ path: prefix, value: body }];
  return Object.entries(body).flatMap(([key, value]) => {
    const path = prefix === "" ? escape(key) : `${prefix}/${escape(key)}`;
    return isRecord(value) ? leavesOf(value, path) : [{ path, value }];
  });
}

/** The value at `path` in a resource, and whether it is there at all. */
export function valueAt(doc: unknown, path: string): { present: boolean; value: unknown } {
  let node: unknown = doc;
  for (const segment of path.split("/").map(unescape)) {
    if (!isRecord(node) || !(segment in node)) return { present: false, value: undefined };
    node = node[segment];
  }
  return { present: true, value: node };
}

/** The body that sets each path to its value (the inverse of leavesOf). */
export function bodyOf(values: PropertyValues): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [path, value] of Object.entries(values)) {
    const segments = path.split("/").map(unescape);
    let node = body;
    for (const segment of segments.slice(0, -1)) {
      if (!isRecord(node[segment])) node[segment] = {};
      node = node[segment] as Record<string, unknown>;
    }
    node[segments[segments.length - 1]!] = value;
  }
  return body;
}

export interface PropertyDiff {
  path: string;
  current: unknown;
  desired: unknown;
  present: boolean;
  equal: boolean;
}

/** Each property `body` sets, against what `doc` holds now. */
export function diff(body: unknown, doc: unknown): PropertyDiff[] {
  return leavesOf(body).map(({ path, value }) => {
    const { present, value: current } = valueAt(doc, path);
    return { path, current, desired: value, present, equal: present && isDeepStrictEqual(current, value) };
  });
}

/** The values at `paths` in `doc` (null where absent). */
export function pick(doc: unknown, paths: Iterable<string>): PropertyValues {
  const out: PropertyValues = {};
  for (const path of paths) {
    const { value } = valueAt(doc, path);
    out[path] = value === undefined ? null : value;
  }
  return out;
}

export { isDeepStrictEqual as sameValue };
