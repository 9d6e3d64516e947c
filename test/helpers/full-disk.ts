/**
 * A journal seam that plays a disk filling up: while `full` is set, an append
 * writes part of its text (as a real full disk does: some blocks fit) and then
 * fails with ENOSPC. Clearing `full` is space coming back.
 */
import type { FileHandle } from "node:fs/promises";
import type { JournalAppend } from "../../src/store/journal.js";

export interface FullDisk {
  full: boolean;
  /** Appends refused so far. */
  refused: number;
  append: JournalAppend;
}

export function fullDisk(): FullDisk {
  const disk: FullDisk = {
    full: false,
    refused: 0,
    async append(handle: FileHandle, text: string) {
      if (!disk.full) {
        await handle.appendFile(text, "utf8");
        return;
      }
      disk.refused++;
      await handle.appendFile(text.slice(0, Math.max(1, Math.floor(text.length / 2))), "utf8");
      throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28, syscall: "write" });
    },
  };
  return disk;
}
