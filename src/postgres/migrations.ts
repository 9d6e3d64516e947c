/**
 * The PgStore's tables, as an ordered list of migrations. Each runs once, in
 * its own transaction, under an advisory lock, so several gateways starting
 * together on one database neither race nor apply a step twice. A migration,
 * once released, is never edited: a change is a new entry at the end.
 *
 * Documents are `json`, not `jsonb`: they come back exactly as written (key
 * order included, which ETags computed over content depend on), and nothing
 * queries inside them.
 */
import type pg from "pg";

/** Any number will do as long as nothing else on the database takes it: "shoa" in ASCII. */
const MIGRATION_LOCK = 0x73686f61;

export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE jobs (
     id   text PRIMARY KEY,
     data json NOT NULL
   );
   CREATE TABLE executions (
     id            text PRIMARY KEY,
     job_id        text NOT NULL,
     -- The sort key of every execution listing: when it was due (or started), then id.
     sort_at       text NOT NULL,
     state         text NOT NULL,
     data          json NOT NULL
   );
   CREATE INDEX executions_by_job ON executions (job_id, sort_at DESC, id DESC);
   CREATE INDEX executions_by_time ON executions (sort_at DESC, id DESC);
   CREATE INDEX executions_by_state ON executions (state, sort_at DESC, id DESC);
   CREATE TABLE records (
     kind  text NOT NULL,
     id    text NOT NULL,
     value json NOT NULL,
     PRIMARY KEY (kind, id)
   );`,
  // Cluster mode (several gateways on one schema): who is alive, and the claims only one of them may win.
  `CREATE TABLE instances (
     id         text PRIMARY KEY,
     started_at timestamptz NOT NULL DEFAULT now(),
     seen_at    timestamptz NOT NULL DEFAULT now()
   );
   -- One row per due run of a job: the instance that inserted it starts the run.
   CREATE TABLE occurrences (
     job_id     text NOT NULL,
     due        bigint NOT NULL,
     instance   text NOT NULL,
     claimed_at timestamptz NOT NULL DEFAULT now(),
     PRIMARY KEY (job_id, due)
   );
   -- A job whose overlap policy allows one run at a time is running on this instance.
   CREATE TABLE run_slots (
     job_id   text PRIMARY KEY,
     instance text NOT NULL,
     since    timestamptz NOT NULL DEFAULT now()
   );
   -- Which instance drives each run in progress: a dead one's runs are adopted by another.
   CREATE TABLE run_drivers (
     execution_id text PRIMARY KEY,
     job_id       text NOT NULL,
     instance     text NOT NULL,
     since        timestamptz NOT NULL DEFAULT now()
   );
   -- One writer per machine across the cluster: the instance whose task is working on it.
   CREATE TABLE target_leases (
     target   text PRIMARY KEY,
     instance text NOT NULL,
     since    timestamptz NOT NULL DEFAULT now()
   );`,
];

/** Creates the schema if needed and applies every migration the database lacks. */
export async function migrate(client: pg.ClientBase, schema: string): Promise<number> {
  const quoted = quoteIdentifier(schema);
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoted}`);
    await client.query(`SET LOCAL search_path TO ${quoted}`);
    await client.query(
      "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
    );
    const { rows } = await client.query<{ version: number }>("SELECT coalesce(max(version), 0) AS version FROM schema_migrations");
    const current = rows[0]?.version ?? 0;
    if (current > MIGRATIONS.length) {
      throw new Error(`the database schema "${schema}" is at version ${current}, newer than this Shoal knows (${MIGRATIONS.length}); upgrade Shoal`);
    }
    for (let version = current + 1; version <= MIGRATIONS.length; version++) {
      await client.query(MIGRATIONS[version - 1]!);
      await client.query("INSERT INTO schema_migrations (version) VALUES ($1)", [version]);
    }
    await client.query("COMMIT");
    return MIGRATIONS.length;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** A schema name as SQL, refusing anything that is not a plain identifier. */
export function quoteIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) throw new TypeError(`"${name}" is not a usable schema name`);
  return `"${name}"`;
}
