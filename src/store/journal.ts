/**
 * The append-only journal beside the snapshot: one JSON line per change.
 *
 * Rewriting a whole snapshot per change would cost time proportional to the
 * state (tens of MB with 100 000 jobs); appending a line costs the line. Lines
 * are acknowledged only after they are synced, so a line cut short by a crash
 * was never acknowledged and is dropped on replay.
 */
import { open, readFile, type FileHandle } from "node:fs/promises";
import { STATE_FILE_MODE } from "./atomic-json-file.js";
import type { StoreOp } from "./store-state.js";

export interface JournalContents {
  ops: StoreOp[];
  /** Bytes of whole lines read; anything after is a torn tail. */
  validBytes: number;
  tornTail: boolean;
}

export class JournalCorruptError extends Error {
  constructor(
    readonly line: number,
    reason: string,
  ) {
    super(`line ${line}: ${reason}`);
  }
}

export async function readJournal(path: string): Promise<JournalContents> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return { ops: [], validBytes: 0, tornTail: false };
    throw error;
  }
  const ops: StoreOp[] = [];
  let offset = 0;
  let line = 0;
  while (offset < text.length) {
    const end = text.indexOf("\n", offset);
    line++;
    if (end === -1) {
      // No newline: the write of this line never finished.
      return { ops, validBytes: Buffer.byteLength(text.slice(0, offset)), tornTail: true };
    }
    const raw = text.slice(offset, end);
    try {
      ops.push(JSON.parse(raw) as StoreOp);
    } catch (error) {
      throw new JournalCorruptError(line, error instanceof Error ? error.message : String(error));
    }
    offset = end + 1;
  }
  return { ops, validBytes: Buffer.byteLength(text), tornTail: false };
}

export class JournalWriter {
  private constructor(
    private handle: FileHandle,
    private readonly sync: boolean,
    public bytes: number,
  ) {}

  /** Opens for appending after the first `validBytes` bytes, cutting any torn tail. */
  static async open(path: string, validBytes: number, sync: boolean): Promise<JournalWriter> {
    const handle = await open(path, "a+", STATE_FILE_MODE);
    await handle.truncate(validBytes);
    return new JournalWriter(handle, sync, validBytes);
  }

  async append(lines: string): Promise<void> {
    await this.handle.appendFile(lines, "utf8");
    if (this.sync) await this.handle.datasync();
    this.bytes += Buffer.byteLength(lines);
  }

  /** Empties the journal once a snapshot holds everything it said. */
  async reset(): Promise<void> {
    await this.handle.truncate(0);
    if (this.sync) await this.handle.datasync();
    this.bytes = 0;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
