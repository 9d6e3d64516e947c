/**
 * How a PgStore in cluster mode tells the others what it changed: each commit
 * also sends, inside its transaction (so only once committed), a NOTIFY that
 * names the rows it wrote; a listener reads those rows again. Keys are the
 * store's row keys: `job:<id>`, `execution:<id>`, `record:<kind>\0<id>`.
 */
import type pg from "pg";
import type { Execution } from "../../executions/types.js";
import type { Job } from "../../jobs/types.js";
import type { StoreOp } from "../../store/store-state.js";

export interface Statement {
  text: string;
  values: unknown[];
}

/** A notification, as sent: who committed, and which rows. */
export interface ChangeNotice {
  origin: string;
  keys: string[];
}

/** PostgreSQL refuses payloads of 8000 bytes or more; keys are split over several notices well below. */
const PAYLOAD_LIMIT = 6000;

/** The channel a schema's changes are announced on. */
export function changeChannel(schema: string): string {
  return `${schema}_changes`;
}

/** The NOTIFY statements that announce `keys` as changed by `origin`. */
export function announcements(schema: string, origin: string, keys: string[]): Statement[] {
  const statements: Statement[] = [];
  let chunk: string[] = [];
  let size = 0;
  const flush = (): void => {
    if (chunk.length === 0) return;
    const notice: ChangeNotice = { origin, keys: chunk };
    statements.push({ text: "SELECT pg_notify($1, $2)", values: [changeChannel(schema), JSON.stringify(notice)] });
    chunk = [];
    size = 0;
  };
  for (const key of keys) {
    const length = JSON.stringify(key).length + 1;
    if (size + length > PAYLOAD_LIMIT) flush();
    chunk.push(key);
    size += length;
  }
  flush();
  return statements;
}

/** A notice's payload, or null for anything that is not one. */
export function parseNotice(payload: string | undefined): ChangeNotice | null {
  try {
    const value: unknown = JSON.parse(payload ?? "");
    if (typeof value !== "object" || value === null) return null;
    const { origin, keys } = value as Record<string, unknown>;
    if (typeof origin !== "string" || !Array.isArray(keys) || !keys.every((k) => typeof k === "string")) return null;
    return { origin, keys: keys as string[] };
  } catch {
    return null;
  }
}

/**
 * The rows named by `keys` as the database has them now, as changes to apply
 * to a working set: a row that is gone becomes a delete.
 */
export async function readRows(client: pg.ClientBase, keys: Iterable<string>): Promise<StoreOp[]> {
  const jobIds = new Set<string>();
  const executionIds = new Set<string>();
  const records = new Map<string, { kind: string; id: string }>();
  for (const key of keys) {
    const colon = key.indexOf(":");
    const type = key.slice(0, colon);
    const rest = key.slice(colon + 1);
    if (type === "job") jobIds.add(rest);
    else if (type === "execution") executionIds.add(rest);
    else if (type === "record") {
      const nul = rest.indexOf("\u0000");
      records.set(rest, { kind: rest.slice(0, nul), id: rest.slice(nul + 1) });
    }
  }
  const ops: StoreOp[] = [];
  if (jobIds.size > 0) {
    const { rows } = await client.query<{ id: string; data: Job }>("SELECT id, data FROM jobs WHERE id = ANY($1)", [[...jobIds]]);
    for (const row of rows) ops.push({ op: "putJob", job: row.data });
    const found = new Set(rows.map((r) => r.id));
    for (const id of jobIds) if (!found.has(id)) ops.push({ op: "deleteJob", id });
  }
  if (executionIds.size > 0) {
    const { rows } = await client.query<{ id: string; data: Execution }>("SELECT id, data FROM executions WHERE id = ANY($1)", [[...executionIds]]);
    for (const row of rows) ops.push({ op: "putExecution", execution: row.data });
    const found = new Set(rows.map((r) => r.id));
    for (const id of executionIds) if (!found.has(id)) ops.push({ op: "deleteExecution", id });
  }
  if (records.size > 0) {
    const wanted = [...records.values()];
    const { rows } = await client.query<{ kind: string; id: string; value: unknown }>(
      "SELECT r.kind, r.id, r.value FROM records r JOIN unnest($1::text[], $2::text[]) AS w(kind, id) ON r.kind = w.kind AND r.id = w.id",
      [wanted.map((w) => w.kind), wanted.map((w) => w.id)],
    );
    const found = new Set<string>();
    for (const row of rows) {
      ops.push({ op: "putRecord", kind: row.kind, id: row.id, value: row.value });
      found.add(`${row.kind}\u0000${row.id}`);
    }
    for (const [key, w] of records) if (!found.has(key)) ops.push({ op: "deleteRecord", kind: w.kind, id: w.id });
  }
  return ops;
}
