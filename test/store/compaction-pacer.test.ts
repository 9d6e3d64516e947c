import { statSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { FileStore } from "../../src/store/file-store.js";
import { playProcessDeath } from "../helpers/process-death.js";
import { makeJob } from "../helpers/records.js";
import { tempDir } from "../helpers/temp-dir.js";

const pathIn = (): string => join(tempDir("shoal-pacer-"), "shoal.json");
const journalBytes = (path: string): number => statSync(`${path}.journal`).size;

async function opened(path: string, options: { compactAfterBytes: number; compactWhenQuietMs?: number }): Promise<FileStore> {
  const store = new FileStore({ path, fsync: false, now: () => Date.parse("2026-01-05T00:00:00Z"), ...options });
  await store.open();
  return store;
}

/** Saves jobs one after another, without a pause, until the journal holds at least `bytes`; returns how many. */
async function writeUntil(store: FileStore, path: string, bytes: number): Promise<number> {
  let n = 0;
  while (journalBytes(path) < bytes) await store.saveJob(makeJob(`Job-${n++}`));
  return n;
}

async function until(check: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((resolve) => setTimeout(resolve, 20));
  return check();
}

t.test("a journal due for folding waits for a quiet moment, then is folded", async (t) => {
  const path = pathIn();
  const quietMs = 3_000;
  const store = await opened(path, { compactAfterBytes: 4_000, compactWhenQuietMs: quietMs });
  const initial = store.stats.snapshotWrites;
  // Past due (4 000), short of twice it: only a quiet moment folds it.
  const jobs = await writeUntil(store, path, 5_000);
  const lastWrite = performance.now();
  t.equal(store.stats.snapshotWrites, initial, "no snapshot while the writes kept coming");
  t.ok(await until(() => store.stats.snapshotWrites > initial, quietMs + 10_000), "folded once the writes stopped");
  const waited = performance.now() - lastWrite;
  t.ok(waited >= quietMs - 250, `folded ${Math.round(waited)} ms after the last write`);
  await store.flush();
  t.ok(journalBytes(path) < 1_000, "the journal starts again from empty");
  playProcessDeath(path);
  const again = await opened(path, { compactAfterBytes: 4_000 });
  t.equal(again.listJobs().length, jobs, "every acknowledged write is in the snapshot");
  await again.close();
  await store.close();
});

t.test("a journal twice past due is folded at once, quiet or not", async (t) => {
  const path = pathIn();
  const store = await opened(path, { compactAfterBytes: 3_000, compactWhenQuietMs: 600_000 });
  const initial = store.stats.snapshotWrites;
  let jobs = await writeUntil(store, path, 5_000);
  t.equal(store.stats.snapshotWrites, initial, "due, not yet twice past: waiting for quiet");
  let largest = 0;
  while (store.stats.snapshotWrites === initial && jobs < 500) {
    await store.saveJob(makeJob(`Job-${jobs++}`));
    largest = Math.max(largest, journalBytes(path));
  }
  t.ok(store.stats.snapshotWrites > initial, "folded while the writes kept coming");
  t.ok(largest <= 6_000 + 1_000, `the journal reached ${largest} bytes, about twice the threshold and no more`);
  await store.flush();
  playProcessDeath(path);
  const again = await opened(path, { compactAfterBytes: 3_000 });
  t.equal(again.listJobs().length, jobs);
  await again.close();
  await store.close();
});

t.test("close folds a journal waiting for quiet without waiting, and leaves no timer behind", async (t) => {
  const path = pathIn();
  const store = await opened(path, { compactAfterBytes: 2_000, compactWhenQuietMs: 600_000 });
  const jobs = await writeUntil(store, path, 3_000);
  const started = performance.now();
  await store.close();
  t.ok(performance.now() - started < 60_000, "close did not wait for the quiet moment");
  t.equal(journalBytes(path), 0, "everything is in the snapshot");
  const again = await opened(path, { compactAfterBytes: 2_000 });
  t.equal(again.listJobs().length, jobs);
  await again.close();
});
