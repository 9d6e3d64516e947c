/**
 * A lowdb adapter for the snapshot file. lowdb's own JSONFile also writes to a
 * temporary file and renames it into place, but creates the temporary file
 * with default permissions and never fsyncs. The state file will hold BMC
 * credentials and must survive a crash right after a write, so this one
 * creates the file 0600 from its first byte and syncs it before the rename.
 */
import { open, readFile, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import type { Adapter } from "lowdb";

export const STATE_FILE_MODE = 0o600;

export async function writeFileAtomic(path: string, text: string, sync: boolean): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const handle = await open(temp, "w", STATE_FILE_MODE);
  try {
    await handle.writeFile(text, "utf8");
    if (sync) await handle.sync();
  } catch (error) {
    // A full disk must not keep the half-written copy: it holds the space the next try needs.
    await handle.close();
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temp, path);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  if (sync) await syncDirectory(dirname(path));
}

/** Makes a rename durable: the directory entry is data too. */
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, "r").catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename itself is still atomic.
  } finally {
    await handle.close();
  }
}

const ITEMS_PER_SLICE = 1000;

/**
 * JSON.stringify, but a top-level array is turned into text a slice at a
 * time with a turn of the event loop between slices: a snapshot of 100 000
 * jobs takes hundreds of milliseconds to serialise, and requests must not
 * wait behind it.
 */
export async function stringifyInSlices(value: unknown): Promise<string> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return JSON.stringify(value);
  const parts: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    if (!Array.isArray(item)) {
      parts.push(`${JSON.stringify(key)}:${JSON.stringify(item)}`);
      continue;
    }
    const slices: string[] = [];
    for (let i = 0; i < item.length; i += ITEMS_PER_SLICE) {
      slices.push(item.slice(i, i + ITEMS_PER_SLICE).map((x) => JSON.stringify(x) ?? "null").join(","));
      if (i + ITEMS_PER_SLICE < item.length) await new Promise((resolve) => setImmediate(resolve));
    }
    parts.push(`${JSON.stringify(key)}:[${slices.join(",")}]`);
  }
  return `{${parts.join(",")}}`;
}

export class AtomicJsonFile<T> implements Adapter<T> {
  constructor(
    private readonly path: string,
    private readonly parse: (text: string) => T,
    private readonly sync: boolean,
  ) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.path, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    return this.parse(text);
  }

  async write(data: T): Promise<void> {
    await writeFileAtomic(this.path, await stringifyInSlices(data), this.sync);
  }
}
