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

/** Writes text at the end of the journal file; a seam so tests can play a full disk. */
export type JournalAppend = (handle: FileHandle, text: string) => Promise<void>;

const appendToFile: JournalAppend = (handle, text) => handle.appendFile(text, "utf8");

export class JournalWriter {
  /** A failed append whose bytes could not be cut off yet: the next append cuts them first. */
  private damaged = false;

  private constructor(
    private handle: FileHandle,
    private readonly sync: boolean,
    public bytes: number,
    private readonly appendText: JournalAppend,
  ) {}

  /** Opens for appending after the first `validBytes` bytes, cutting any torn tail. */
  static async open(path: string, validBytes: number, sync: boolean, appendText: JournalAppend = appendToFile): Promise<JournalWriter> {
    const handle = await open(path, "a+", STATE_FILE_MODE);
    await handle.truncate(validBytes);
    return new JournalWriter(handle, sync, validBytes, appendText);
  }

  /**
   * Appends whole lines, or nothing: a write that fails part-way (a full disk
   * takes some bytes and refuses the rest) is cut back to the last whole line,
   * so no later line is ever written after a torn one. If even the cut fails,
   * it is retried before the next append, which fails until it succeeds.
   */
  async append(lines: string): Promise<void> {
    if (this.damaged) {
      await this.handle.truncate(this.bytes);
      this.damaged = false;
    }
    try {
      await this.appendText(this.handle, lines);
      if (this.sync) await this.handle.datasync();
    } catch (error) {
      await this.handle.truncate(this.bytes).catch(() => {
        this.damaged = true;
      });
      throw error;
    }
    this.bytes += Buffer.byteLength(lines);
  }

  /** Empties the journal once a snapshot holds everything it said. */
  async reset(): Promise<void> {
    await this.handle.truncate(0);
    if (this.sync) await this.handle.datasync();
    this.bytes = 0;
    this.damaged = false;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
