/**
 * The snapshot file's format and its upgrade path. Each format change adds a
 * migration from the version before it; a file from a newer Shoal is refused
 * rather than half-understood.
 */
import type { StateData } from "./store-state.js";

export const FORMAT_VERSION = 1;

export interface Snapshot extends StateData {
  version: number;
}

type Migration = (data: Record<string, unknown>) => Record<string, unknown>;

/** `MIGRATIONS[n]` turns a version-n file into version n+1. None yet. */
const MIGRATIONS: Record<number, Migration> = {};

export class SnapshotFormatError extends Error {}

export function emptySnapshot(): Snapshot {
  return { version: FORMAT_VERSION, jobs: [], executions: [], records: {} };
}

export function parseSnapshot(text: string): Snapshot {
  if (text.trim() === "") throw new SnapshotFormatError("the file is empty");
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new SnapshotFormatError(`not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new SnapshotFormatError("not a JSON object");
  }
  let record = data as Record<string, unknown>;
  let version = record.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
    throw new SnapshotFormatError("it has no valid \"version\" field");
  }
  if (version > FORMAT_VERSION) {
    throw new SnapshotFormatError(
      `it was written by a newer Shoal (format version ${version}; this one reads up to ${FORMAT_VERSION})`,
    );
  }
  while (version < FORMAT_VERSION) {
    const migrate = MIGRATIONS[version];
    if (!migrate) throw new SnapshotFormatError(`no migration from format version ${version}`);
    record = migrate(record);
    version += 1;
  }
  const { jobs, executions, records } = record;
  if (!Array.isArray(jobs) || !Array.isArray(executions) || typeof records !== "object" || records === null) {
    throw new SnapshotFormatError("it lacks the jobs, executions or records sections");
  }
  return {
    version: FORMAT_VERSION,
    jobs: jobs as Snapshot["jobs"],
    executions: executions as Snapshot["executions"],
    records: records as Snapshot["records"],
  };
}
