/**
 * The service root's UUID: made once per data directory and kept there, so a
 * client that tells services apart by UUID sees the same gateway across
 * restarts.
 */
import { randomUUID } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";

export const SERVICE_UUID_FILE = "service-uuid";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads DATA_DIR/service-uuid, or makes and stores one when it is absent or not a UUID. */
export async function loadServiceUuid(dataDir: string): Promise<string> {
  const file = join(dataDir, SERVICE_UUID_FILE);
  const existing = await readFile(file, "utf8").then(
    (text) => text.trim(),
    (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
      throw error;
    },
  );
  if (UUID.test(existing)) return existing.toLowerCase();
  const made = randomUUID();
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${made}\n`, { mode: 0o644 });
  await rename(temp, file);
  return made;
}
