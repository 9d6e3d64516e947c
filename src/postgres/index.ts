/**
 * `shoal/postgres`: the Store on PostgreSQL. A separate entry point so that
 * the core (`shoal`) never loads the database driver.
 */
export { PgStore, SchemaHeldError } from "./pg-store.js";
export type { PgStoreOptions, PgStoreStats } from "./pg-store.js";
