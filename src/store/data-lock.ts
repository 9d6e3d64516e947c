/**
 * One process per state file. Two schedulers on one file would both run every
 * job (a Once job twice, every BMC patched twice) and interleave their
 * journals, so the second one refuses to open.
 *
 * The lock is a file beside the state file holding the holder's pid, host and
 * start time. It is created whole or not at all (written to a private file,
 * then hard-linked into place, which fails if a lock exists). A lock whose
 * holder is gone does not block: on the same host, a pid that no longer runs
 * (or our own pid, left by an earlier life of a container's pid 1 that this
 * process never took) is stale and is taken over. A lock from another host
 * cannot be checked and is respected.
 */
import { randomUUID } from "node:crypto";
import { link, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { ShoalError } from "../errors.js";

export interface LockHolder {
  pid: number;
  host: string;
  startedAt: string;
  /** Tells two holders with the same pid apart. */
  nonce: string;
}

/** Another live process holds the state file. */
export class StoreLockedError extends ShoalError {
  constructor(
    readonly lockPath: string,
    readonly holder: LockHolder,
  ) {
    super(
      "StoreError",
      `The data directory ${dirname(lockPath)} is in use by another Shoal process ` +
        `(pid ${holder.pid} on host ${holder.host}, since ${holder.startedAt}; lock file ${lockPath}). ` +
        `Stop that process first; if it no longer runs, delete the lock file.`,
    );
    this.name = "StoreLockedError";
  }
}

/** Lock files this process holds, with the holder's nonce: a lock naming our pid that is not here was left by someone else. */
const heldHere = new Map<string, string>();

const TAKEOVER_ATTEMPTS = 3;

export class DataLock {
  private constructor(
    readonly path: string,
    private readonly holder: LockHolder,
  ) {}

  static async acquire(path: string, now: () => number = Date.now): Promise<DataLock> {
    const holder: LockHolder = { pid: process.pid, host: hostname(), startedAt: new Date(now()).toISOString(), nonce: randomUUID() };
    const draft = `${path}.${holder.nonce}.tmp`;
    await writeFile(draft, JSON.stringify(holder) + "\n", { mode: 0o600 });
    try {
      for (let attempt = 0; attempt < TAKEOVER_ATTEMPTS; attempt++) {
        if (await linked(draft, path)) {
          heldHere.set(path, holder.nonce);
          return new DataLock(path, holder);
        }
        const current = await readHolder(path);
        if (current === "gone") continue;
        if (current !== "unreadable" && isAlive(path, current)) throw new StoreLockedError(path, current);
        await takeOverStale(path, current);
      }
      const last = await readHolder(path);
      throw new StoreLockedError(path, typeof last === "string" ? unknownHolder() : last);
    } finally {
      await unlink(draft).catch(() => undefined);
    }
  }

  /** Removes the lock if it is still ours. */
  async release(): Promise<void> {
    if (heldHere.get(this.path) === this.holder.nonce) heldHere.delete(this.path);
    const current = await readHolder(this.path);
    if (typeof current !== "string" && current.nonce === this.holder.nonce) await unlink(this.path).catch(() => undefined);
  }
}

/** File systems without hard links (some network and FUSE mounts) get an exclusive create instead. */
const NO_HARD_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "ENOSYS"]);

async function linked(from: string, to: string): Promise<boolean> {
  try {
    await link(from, to);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST") return false;
    if (code === undefined || !NO_HARD_LINKS.has(code)) throw error;
  }
  try {
    await writeFile(to, await readFile(from, "utf8"), { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

async function readHolder(path: string): Promise<LockHolder | "gone" | "unreadable"> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "gone";
    throw error;
  }
  try {
    const value = JSON.parse(text) as Partial<LockHolder>;
    if (typeof value.pid === "number" && typeof value.host === "string") {
      return { pid: value.pid, host: value.host, startedAt: String(value.startedAt ?? "?"), nonce: String(value.nonce ?? "") };
    }
  } catch {
    // Not ours, or written by hand: treated as stale below.
  }
  return "unreadable";
}

function isAlive(path: string, holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true;
  if (holder.pid === process.pid) return heldHere.has(path);
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Moves the stale lock out of the way. Renaming (not deleting) and then
 * checking what was moved means that when two processes take over the same
 * stale lock at once, the slower one cannot remove the faster one's fresh lock
 * unnoticed: it finds a live holder in what it moved and puts it back.
 */
async function takeOverStale(path: string, stale: LockHolder | "unreadable"): Promise<void> {
  const aside = `${path}.${randomUUID()}.stale`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
    throw error;
  }
  const moved = await readHolder(aside);
  const same = typeof moved === "string" ? stale === "unreadable" : stale !== "unreadable" && moved.nonce === stale.nonce && moved.pid === stale.pid;
  if (!same && typeof moved !== "string") await linked(aside, path);
  await unlink(aside).catch(() => undefined);
}

function unknownHolder(): LockHolder {
  return { pid: 0, host: "unknown", startedAt: "unknown", nonce: "" };
}
