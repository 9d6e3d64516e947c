/**
 * The worker thread that puts result files on disk. The main thread sends
 * batches of (dir, name, text); each file is written here with synchronous
 * calls, which cost a few microseconds each instead of a promise, a thread-pool
 * hop and a FileHandle per call on the thread that also serves the API.
 *
 * A file appears whole or not at all and never replaces another: it is written
 * under a hidden temp name in the same directory, then hard-linked to the first
 * free name (`name`, `-2`, `-3`... before `.json`); link fails instead of
 * replacing, and the temp name is removed.
 */
import { closeSync, existsSync, fchmodSync, linkSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { parentPort, threadId, workerData } from "node:worker_threads";
import type { FileRequest, FileResponse } from "./worker-file-sink.js";

const MAX_SUFFIX = 1000;
/** Result files are for every operator to read; set by the main thread when its umask would narrow 0644. */
const forceMode = (workerData as { forceMode?: boolean } | undefined)?.forceMode === true;
let seq = 0;

function codeOf(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

class StageError extends Error {
  constructor(
    readonly stage: "write" | "claim",
    readonly code: string | undefined,
    message: string,
    readonly candidate?: string,
  ) {
    super(message);
  }
}

/**
 * The temp name: one per thread, used again for every file (each is linked into
 * place and unlinked before the next is written). A name the directory has
 * just seen is cheaper to create and remove than a new one each time (15-20%
 * of the kernel's work per file, measured interleaved on ext4); a leftover of
 * an earlier process with our pid makes it fall back to numbered names.
 */
function tempName(attempt: number): string {
  const tag = `${process.pid}.${threadId}`;
  return attempt === 0 ? `.shoal-result.${tag}.tmp` : `.shoal-result.${tag}.${++seq}.tmp`;
}

function writeTemp(dir: string, text: string): string {
  for (let attempt = 0; ; attempt++) {
    const temp = join(dir, tempName(attempt));
    let fd: number;
    try {
      fd = openSync(temp, "wx", 0o644);
    } catch (error) {
      if (codeOf(error) === "EEXIST") continue; // a leftover of an earlier process with our pid
      throw new StageError("write", codeOf(error), String(error));
    }
    try {
      const data = Buffer.from(text, "utf8");
      for (let off = 0; off < data.length; ) off += writeSync(fd, data, off);
      if (forceMode) fchmodSync(fd, 0o644);
      closeSync(fd);
    } catch (error) {
      try {
        closeSync(fd);
      } catch {
        // already closed or never usable: the unlink below is what matters
      }
      try {
        unlinkSync(temp);
      } catch {
        // nothing to clean
      }
      throw new StageError("write", codeOf(error), String(error));
    }
    return temp;
  }
}

function claim(dir: string, temp: string, name: string): string {
  const base = name.replace(/\.json$/, "");
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const candidate = n === 1 ? name : `${base}-${n}.json`;
    const target = join(dir, candidate);
    try {
      linkSync(temp, target);
      return candidate;
    } catch (error) {
      const code = codeOf(error);
      if (code === "EEXIST") continue;
      if (code === "EPERM" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "EXDEV") {
        // No hard links on this file system: check-then-rename (not race-free, still atomic content).
        if (existsSync(target)) continue;
        renameSync(temp, target);
        return candidate;
      }
      throw new StageError("claim", code, String(error), candidate);
    }
  }
  throw new StageError("claim", undefined, `More than ${MAX_SUFFIX} result files named ${name}`);
}

function create(request: FileRequest): FileResponse {
  let temp: string | undefined;
  try {
    temp = writeTemp(request.dir, request.text);
    return { id: request.id, name: claim(request.dir, temp, request.name) };
  } catch (error) {
    const e = error instanceof StageError ? error : new StageError("claim", codeOf(error), String(error));
    return { id: request.id, error: { stage: e.stage, code: e.code, message: e.message, candidate: e.candidate } };
  } finally {
    if (temp !== undefined) {
      try {
        unlinkSync(temp);
      } catch {
        // renamed into place (no-link file systems), or already gone
      }
    }
  }
}

parentPort?.on("message", (batch: FileRequest[]) => {
  parentPort!.postMessage(batch.map(create));
});
