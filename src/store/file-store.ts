/**
 * The default durable store: a lowdb JSON snapshot plus an append-only
 * journal of changes since that snapshot.
 *
 * - A write resolves once its journal line is synced to disk.
 * - Writes issued while another is being synced are committed together in the
 *   next sync (group commit), so a burst of changes costs a few file writes.
 * - When the journal outgrows the snapshot, at the first quiet moment after
 *   (see compaction-pacer.ts), it is sealed (renamed to `<path>.journal.1`)
 *   and a fresh one takes new writes at once, while a new snapshot is written
 *   in the background (serialised in slices, to a temporary file renamed into
 *   place); then the sealed journal is deleted. Writes never wait for a snapshot.
 * - On open: snapshot, then the sealed journal if a crash left one, then the
 *   journal; every line is a whole-object upsert or a delete, so replaying a
 *   line the snapshot already holds changes nothing. A torn last line (a crash
 *   mid-write, never acknowledged) is dropped. Anything else unreadable stops
 *   the open with an error naming the file, which is left untouched unless
 *   the caller asked for it to be moved aside.
 */
import { rename, stat, unlink } from "node:fs/promises";
import { dirname } from "node:path";
import { Low } from "lowdb";
import { ShoalError } from "../errors.js";
import { AtomicJsonFile } from "./atomic-json-file.js";
import { CompactionPacer } from "./compaction-pacer.js";
import { DataLock } from "./data-lock.js";
import { ensureDirectory } from "./ensure-directory.js";
import { JournalCorruptError, JournalWriter, readJournal, type JournalAppend } from "./journal.js";
import { storeWriteError } from "./write-error.js";
import { FORMAT_VERSION, SnapshotFormatError, emptySnapshot, parseSnapshot, type Snapshot } from "./snapshot-format.js";
import { StateStore, type StateStoreOptions } from "./state-store.js";
import type { StoreOp } from "./store-state.js";

/** Only `path` is required. */
export interface FileStoreOptions extends StateStoreOptions {
  /** The snapshot file; the journal is `<path>.journal` beside it. */
  path: string;
  /** What to do with a snapshot or journal that cannot be read: refuse to open (default), or move it aside and start empty. */
  onCorrupt?: "refuse" | "moveAside";
  /** Sync each commit to disk (default true). Off only for tests and benchmarks of the rest. */
  fsync?: boolean;
  /** Fold the journal into a new snapshot once it is larger than this and than the snapshot (default 4 MiB). */
  compactAfterBytes?: number;
  /**
   * A journal due to be folded waits until no write has been committed for this
   * long (default 500 ms), so a burst of writes does not pay for the snapshot;
   * one twice past due is folded at once. 0: at once, as soon as it is due.
   */
  compactWhenQuietMs?: number;
  /** How journal text reaches the file; tests replace it to play a full disk. */
  journalAppend?: JournalAppend;
}

/** Counters for benchmarks and health checks. */
export interface FileStoreStats {
  /** Journal appends (each one file write and one sync). */
  journalWrites: number;
  /** Snapshots written. */
  snapshotWrites: number;
  /** Changes committed. */
  changes: number;
}

interface Pending {
  line: string;
  /** Takes the change back out of memory if it cannot be made durable. */
  undo: StoreOp[];
  done: () => void;
  fail: (error: unknown) => void;
}

/**
 * Jobs, executions and other records in a JSON snapshot (mode 0600) plus a
 * synced journal; see the top of this file for how writes and recovery work.
 * The Store methods behave as the Store interface documents them. A saved
 * object is kept, not copied: its journal line is written from it at once,
 * and the caller saves again after changing it.
 *
 * @example
 * ```ts
 * const store = new FileStore({ path: "data/shoal.json", retention: { maxPerJob: 500 } });
 * const scheduler = new Scheduler({ store });
 * await scheduler.start();   // opens the store: runs cut off by a crash become Interrupted
 * // ...
 * await scheduler.stop();
 * await store.close();       // the scheduler closes only a store it made itself
 * ```
 */
export class FileStore extends StateStore {
  /** The snapshot file. */
  readonly path: string;
  /** `<path>.journal`: changes since the snapshot. */
  readonly journalPath: string;
  /** A journal sealed for folding into the next snapshot; exists only while that snapshot is written. */
  readonly sealedJournalPath: string;
  private readonly sync: boolean;
  private readonly compactAfterBytes: number;
  private readonly pacer: CompactionPacer;
  private opening: Promise<void> | undefined;
  private readonly onCorrupt: "refuse" | "moveAside";
  private readonly db: Low<Snapshot>;
  private readonly journalAppend: JournalAppend | undefined;
  private lock: DataLock | undefined;
  private journal: JournalWriter | undefined;
  private snapshotBytes = 0;
  private pending: Pending[] = [];
  private committing: Promise<void> | undefined;
  private compacting: Promise<void> | undefined;
  private sealed = false;
  private closed = false;
  private readonly counters: FileStoreStats = { journalWrites: 0, snapshotWrites: 0, changes: 0 };

  constructor(options: FileStoreOptions) {
    super(options);
    this.path = options.path;
    this.journalPath = `${options.path}.journal`;
    this.sealedJournalPath = `${options.path}.journal.1`;
    this.sync = options.fsync ?? true;
    this.compactAfterBytes = options.compactAfterBytes ?? 4 * 1024 * 1024;
    this.pacer = new CompactionPacer(options.compactWhenQuietMs ?? 500, () => this.compactInQuiet());
    this.onCorrupt = options.onCorrupt ?? "refuse";
    this.journalAppend = options.journalAppend;
    this.db = new Low(new AtomicJsonFile(this.path, parseSnapshot, this.sync), emptySnapshot());
  }

  /** Writes so far (a copy). */
  get stats(): FileStoreStats {
    return { ...this.counters };
  }

  /** Loads the files; a second call does nothing (the scheduler and an embedder may both call it). */
  open(): Promise<void> {
    this.opening ??= this.load().catch((error: unknown) => {
      this.opening = undefined;
      throw error;
    });
    return this.opening;
  }

  private async load(): Promise<void> {
    await ensureDirectory(dirname(this.path)).catch((error: unknown) => {
      throw new ShoalError("StoreError", `Cannot open state file ${this.path}: ${error instanceof Error ? error.message : String(error)}`);
    });
    // Before reading anything: another process may be writing these files.
    this.lock = await DataLock.acquire(`${this.path}.lock`, this.now);
    try {
      await this.loadFiles();
    } catch (error) {
      await this.lock.release();
      this.lock = undefined;
      throw error;
    }
  }

  private async loadFiles(): Promise<void> {
    const snapshot = await this.readPart(this.path, () => this.db.read().then(() => this.db.data));
    this.state.load(snapshot);
    const noJournal = { ops: [], validBytes: 0, tornTail: false };
    const sealed = await this.readPart(this.sealedJournalPath, () => readJournal(this.sealedJournalPath), noJournal);
    for (const change of sealed.ops) this.state.apply(change);
    this.sealed = await stat(this.sealedJournalPath).then(() => true, () => false);
    const journal = await this.readPart(this.journalPath, () => readJournal(this.journalPath), noJournal);
    for (const change of journal.ops) this.state.apply(change);
    this.snapshotBytes = await stat(this.path).then((s) => s.size, () => 0);
    this.journal = await JournalWriter.open(this.journalPath, journal.validBytes, this.sync, this.journalAppend);
    // No snapshot yet, or a compaction a crash cut short: write one now, before any new write.
    if (this.snapshotBytes === 0 || this.sealed) await this.compactNow();
  }

  /** Reads the snapshot or the journal, turning an unreadable file into a clear refusal (or moving it aside). */
  private async readPart<T>(file: string, read: () => Promise<T>, empty?: T): Promise<T> {
    try {
      return await read();
    } catch (error) {
      if (!(error instanceof SnapshotFormatError || error instanceof JournalCorruptError)) throw error;
      if (this.onCorrupt === "moveAside") {
        const aside = `${file}.corrupt-${new Date(this.now()).toISOString().replace(/[:.]/g, "-")}`;
        await rename(file, aside);
        if (file === this.path) {
          // The journal only makes sense on top of the snapshot it follows.
          const suffix = aside.slice(file.length);
          await rename(this.journalPath, `${this.journalPath}${suffix}`).catch(() => undefined);
          await rename(this.sealedJournalPath, `${this.sealedJournalPath}${suffix}`).catch(() => undefined);
        }
        this.db.data = emptySnapshot();
        return empty ?? (emptySnapshot() as T);
      }
      throw new ShoalError(
        "StoreError",
        `Cannot open state file ${file}: ${error.message}. The file was left untouched; ` +
          `restore it from a backup, or start with the option to move it aside ` +
          `(onCorrupt: "moveAside"; for the gateway, the environment variable STORE_ON_CORRUPT=moveAside).`,
      );
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.flush();
    this.closed = true;
    this.pacer.stop();
    try {
      await this.compactNow();
      await this.journal?.close();
    } finally {
      await this.lock?.release();
      this.lock = undefined;
    }
  }

  /** Resolves when every write issued so far is durable and no snapshot is being written. */
  async flush(): Promise<void> {
    while (this.committing || this.pending.length > 0 || this.compacting) {
      await (this.committing ?? (this.pending.length > 0 ? this.commitSoon() : this.compacting));
    }
  }

  /** Applies a change in memory now and resolves once its journal line is synced. */
  protected write(change: StoreOp): Promise<void> {
    if (this.closed || !this.journal) {
      return Promise.reject(new ShoalError("StoreError", `State file ${this.path} is not open`));
    }
    const line = JSON.stringify(change) + "\n";
    const undo = this.state.inverseOf(change);
    this.state.apply(change);
    return new Promise((done, fail) => {
      this.pending.push({ line, undo, done, fail });
      void this.commitSoon();
    });
  }

  private commitSoon(): Promise<void> {
    return this.committing ?? this.inCommitTurn(() => this.commitAll());
  }

  /** Runs `work` as the commit loop's turn: no append runs meanwhile, and writes that arrive wait for the next turn. */
  private inCommitTurn(work: () => Promise<void>): Promise<void> {
    this.committing = work().finally(() => {
      this.committing = undefined;
      // A write may have arrived after the last batch was taken but before this ran.
      if (this.pending.length > 0) void this.commitSoon();
    });
    return this.committing;
  }

  /** Commits everything pending, one batch per journal write, until nothing is left. */
  private async commitAll(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await (this.journal as JournalWriter).append(batch.map((p) => p.line).join(""));
        this.counters.journalWrites++;
        this.counters.changes += batch.length;
      } catch (error) {
        // Everything applied after this batch was applied on top of it: it all goes back, newest first.
        const failed = [...batch, ...this.pending];
        this.pending = [];
        for (let i = failed.length - 1; i >= 0; i--) for (const change of failed[i]!.undo) this.state.apply(change);
        const failure = storeWriteError(this.journalPath, error);
        for (const p of failed) p.fail(failure);
        continue;
      }
      for (const p of batch) p.done();
      if (this.pacer.committed(this.shouldCompact(), this.shouldCompact(2))) await this.startCompaction().catch(() => undefined);
    }
  }

  /** Whether the journal is `times` past the size that makes it due for folding: larger than the threshold and than the snapshot. */
  private shouldCompact(times = 1): boolean {
    const journalBytes = this.journal?.bytes ?? 0;
    return journalBytes > times * Math.max(this.compactAfterBytes, this.snapshotBytes);
  }

  /** The quiet moment the pacer waited for: folds the journal in the commit loop's place, so no append runs meanwhile. */
  private compactInQuiet(): void {
    // A commit under way asks the pacer again when it is done.
    if (this.closed || this.committing || this.pending.length > 0 || this.compacting || !this.shouldCompact()) return;
    void this.inCommitTurn(() => this.startCompaction().catch(() => undefined));
  }

  /**
   * Seals the journal (new writes go to a fresh one from here on) and writes
   * the snapshot in the background. Runs inside the commit loop (or in its
   * place), so no append is under way while the journal changes hands.
   */
  private async startCompaction(): Promise<void> {
    if (this.compacting || !this.journal) return;
    if (!this.sealed) {
      await this.journal.close();
      await rename(this.journalPath, this.sealedJournalPath);
      this.sealed = true;
      this.journal = await JournalWriter.open(this.journalPath, 0, this.sync);
    }
    this.compacting = this.writeSnapshot()
      .then(() => unlink(this.sealedJournalPath))
      .then(() => {
        this.sealed = false;
      })
      .catch(() => {
        // The sealed journal stays: the next compaction (or the next open) folds it in.
      })
      .finally(() => {
        this.compacting = undefined;
      });
  }

  /** A whole snapshot now, superseding both journals (at open and at close, when no write can arrive). */
  private async compactNow(): Promise<void> {
    await this.compacting;
    await this.writeSnapshot();
    if (this.sealed) await unlink(this.sealedJournalPath).catch(() => undefined);
    this.sealed = false;
    await this.journal?.reset();
  }

  private async writeSnapshot(): Promise<void> {
    this.db.data = { version: FORMAT_VERSION, ...this.state.toData() };
    await this.db.write();
    this.counters.snapshotWrites++;
    this.snapshotBytes = await stat(this.path).then((s) => s.size, () => 0);
  }
}
