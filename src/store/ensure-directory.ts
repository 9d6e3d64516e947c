/**
 * `mkdir -p` that always ends. Node's own `mkdir(dir, { recursive: true })`
 * never settles for a path under /proc (the kernel answers ENOENT for the
 * child while the parent exists, and Node retries forever), so a mistyped
 * DATA_DIR hung start-up without a word. This walks up one parent per path
 * segment at most, and reports the directory it could not make.
 */
import { mkdir, stat } from "node:fs/promises";
import { dirname, resolve } from "node:path";

export class DirectoryError extends Error {
  constructor(
    readonly directory: string,
    readonly reason: string,
  ) {
    super(`cannot create directory ${directory}: ${reason}`);
    this.name = "DirectoryError";
  }
}

export async function ensureDirectory(dir: string, mode = 0o700): Promise<void> {
  const target = resolve(dir);
  const missing: string[] = [];
  let current = target;
  // Find the nearest ancestor that exists, remembering what is missing below it.
  for (;;) {
    const kind = await stat(current).then(
      (s) => (s.isDirectory() ? "directory" : "other"),
      (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? "missing" : describe(error)),
    );
    if (kind === "directory") break;
    if (kind !== "missing") throw new DirectoryError(target, kind === "other" ? `${current} is not a directory` : kind);
    missing.push(current);
    const parent = dirname(current);
    if (parent === current) throw new DirectoryError(target, "no part of the path exists");
    current = parent;
  }
  for (const path of missing.reverse()) {
    try {
      await mkdir(path, { mode });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (e.code === "EEXIST" && (await stat(path).then((s) => s.isDirectory(), () => false))) continue;
      throw new DirectoryError(target, describe(e));
    }
  }
}

function describe(error: NodeJS.ErrnoException): string {
  return error.code ? `${error.code} (${error.message})` : error.message;
}
