/**
 * Shapes shared by every Redfish resource: `@odata` annotations, RFC 3339
 * times, and collections paged with `$top`/`$skip`.
 */
import { RedfishError } from "./errors.js";

export const ODATA_TYPES = {
  serviceRoot: "#ServiceRoot.v1_0_0.ServiceRoot",
  jobService: "#JobService.v1_0_0.JobService",
  job: "#Job.v1_0_0.Job",
  jobCollection: "#JobCollection.JobCollection",
  execution: "#JobExecution.v1_0_0.JobExecution",
  executionCollection: "#JobExecutionCollection.JobExecutionCollection",
  machine: "#Machine.v1_0_0.Machine",
  machineCollection: "#MachineCollection.MachineCollection",
  fanProfile: "#OpenBmcFanProfile.v1_0_0.OpenBmcFanProfile",
  fanControllerCollection: "#OpenBmcFanControllerCollection.OpenBmcFanControllerCollection",
  fanZoneCollection: "#OpenBmcFanZoneCollection.OpenBmcFanZoneCollection",
  pidControllerCollection: "#OpenBmcPidControllerCollection.OpenBmcPidControllerCollection",
} as const;

/** A collection page never holds more members than this, asked or not. */
export const COLLECTION_CAP = 1000;

export interface Link {
  "@odata.id": string;
}

export function link(odataId: string): Link {
  return { "@odata.id": odataId };
}

/** "2026-02-10T22:00:00.000Z" -> "2026-02-10T22:00:00Z"; keeps milliseconds only when there are some. */
export function rfc3339(iso: string | null | undefined): string | null {
  if (!iso) return null;
  return iso.replace(/\.000(?=Z$|[+-]\d\d:\d\d$)/, "");
}

export interface Page {
  offset: number;
  limit: number;
  /** Whether the client asked for a page size; a next link then keeps it. */
  explicitTop: boolean;
}

type Query = Record<string, string | string[] | undefined>;

function readCount(query: Query, name: "$top" | "$skip"): number | undefined {
  const raw = query[name];
  if (raw === undefined) return undefined;
  const text = Array.isArray(raw) ? raw.join(",") : raw;
  if (!/^\d+$/.test(text)) {
    if (/^-\d+$/.test(text)) {
      throw RedfishError.badRequest([{ key: "QueryParameterOutOfRange", args: [text, name, "0 or more"] }]);
    }
    throw RedfishError.badRequest([{ key: "QueryParameterValueTypeError", args: [text.slice(0, 100), name] }]);
  }
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw RedfishError.badRequest([{ key: "QueryParameterOutOfRange", args: [text.slice(0, 100), name, "0 or more"] }]);
  }
  return value;
}

/** Reads `$top`/`$skip` from a query; bad values are a 400 naming the parameter. */
export function parsePage(query: Query): Page {
  const top = readCount(query, "$top");
  const skip = readCount(query, "$skip") ?? 0;
  return { offset: skip, limit: Math.min(top ?? COLLECTION_CAP, COLLECTION_CAP), explicitTop: top !== undefined };
}

/**
 * Whether the client asked for members inline (`$expand=.`, `*` or `~`, as
 * Redfish defines them; `$levels` beyond one is not offered). Members are then
 * the full resources, so a script reads a collection in one request.
 */
export function wantsExpand(query: Query): boolean {
  const raw = query["$expand"];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return typeof value === "string" && /^[.*~](\(\$levels=\d+\))?$/.test(value);
}

export interface CollectionInput {
  odataId: string;
  odataType: string;
  name: string;
  description?: string;
  /** `@odata.id` of each member on this page, in order. */
  memberIds: readonly string[];
  /** Members in the whole collection. */
  total: number;
  page: Page;
  /** The members' full resources, in `memberIds` order, when the client asked for $expand. */
  expanded?: readonly Record<string, unknown>[];
}

export function renderCollection(c: CollectionInput): Record<string, unknown> {
  const body: Record<string, unknown> = {
    "@odata.type": c.odataType,
    "@odata.id": c.odataId,
    Name: c.name,
  };
  if (c.description !== undefined) body["Description"] = c.description;
  body["Members"] = c.expanded ?? c.memberIds.map(link);
  body["Members@odata.count"] = c.total;
  const nextOffset = c.page.offset + c.memberIds.length;
  if (c.memberIds.length > 0 && nextOffset < c.total) {
    const top = c.page.explicitTop ? `&$top=${c.page.limit}` : "";
    const expand = c.expanded ? "&$expand=." : "";
    body["Members@odata.nextLink"] = `${c.odataId}?$skip=${nextOffset}${top}${expand}`;
  }
  return body;
}

/** The slice of an in-memory list a page covers. */
export function pageSlice<T>(items: readonly T[], page: Page): T[] {
  return items.slice(page.offset, page.offset + page.limit);
}
