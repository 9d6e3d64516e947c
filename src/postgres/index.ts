/**
 * `shoal/postgres`: the Store on PostgreSQL, and cluster mode (several
 * schedulers on one database). A separate entry point so that the core
 * (`shoal`) never loads the database driver or pg-boss.
 */
export { PgStore, SchemaHeldError } from "./pg-store.js";
export type { PgStoreOptions, PgStoreStats } from "./pg-store.js";
export { Cluster } from "./cluster/cluster.js";
export type { ClusterOptions, ClusterStatus } from "./cluster/cluster.js";
