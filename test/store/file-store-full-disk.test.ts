import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import t from "tap";
import { ShoalError } from "../../src/errors.js";
import { FileStore } from "../../src/store/file-store.js";
import { readJournal } from "../../src/store/journal.js";
import { fullDisk } from "../helpers/full-disk.js";
import { playProcessDeath } from "../helpers/process-death.js";
import { makeJob } from "../helpers/records.js";
import { tempDir } from "../helpers/temp-dir.js";

function tempPath(): string {
  return join(tempDir("shoal-full-"), "shoal.json");
}

t.test("a write refused by a full disk leaves no bytes behind, is InsufficientStorage, and writes resume once space returns", async (t) => {
  const path = tempPath();
  const disk = fullDisk();
  const store = new FileStore({ path, journalAppend: disk.append });
  await store.open();
  await store.saveJob(makeJob("Job-a"));
  const before = statSync(`${path}.journal`).size;

  disk.full = true;
  const error = await store.saveJob(makeJob("Job-b")).then(() => undefined, (e: unknown) => e);
  t.type(error, ShoalError);
  t.equal((error as ShoalError).code, "InsufficientStorage");
  t.match((error as Error).message, `${path}.journal`);
  t.equal(disk.refused, 1);
  t.equal(statSync(`${path}.journal`).size, before, "the half-written line was cut off");
  t.same(store.listJobs().map((j) => j.id), ["Job-a"], "nothing of the refused write is kept in memory");

  disk.full = false;
  await store.saveJob(makeJob("Job-c"));
  t.same(store.listJobs().map((j) => j.id).sort(), ["Job-a", "Job-c"], "the next write went through by itself");
  const journal = await readJournal(`${path}.journal`);
  t.notOk(journal.tornTail);

  // A crash now: the file must open, with exactly the acknowledged writes.
  playProcessDeath(path);
  const again = new FileStore({ path });
  await again.open();
  t.same(again.listJobs().map((j) => j.id).sort(), ["Job-a", "Job-c"]);
  await again.close();
  await store.close().catch(() => undefined);
});

t.test("a refused batch takes back every write applied after it, newest first, and an update returns to the old value", async (t) => {
  const path = tempPath();
  const disk = fullDisk();
  const store = new FileStore({ path, journalAppend: disk.append });
  await store.open();
  await store.saveJob(makeJob("Job-a", { name: "original" }));
  await store.saveRecord("machine", "m1", { id: "m1", v: 1 });

  disk.full = true;
  const writes = [
    store.saveJob(makeJob("Job-a", { name: "renamed" })),
    store.saveJob(makeJob("Job-b")),
    store.deleteRecord("machine", "m1"),
    store.saveRecord("machine", "m2", { id: "m2" }),
    store.deleteJob("Job-a"),
  ];
  const outcomes = await Promise.allSettled(writes);
  t.same(outcomes.map((o) => o.status), ["rejected", "rejected", "rejected", "rejected", "rejected"]);
  t.same(store.listJobs().map((j) => [j.id, j.name]), [["Job-a", "original"]]);
  t.same(store.listRecords("machine"), [{ id: "m1", v: 1 }]);

  disk.full = false;
  await store.close();
  const again = new FileStore({ path });
  await again.open();
  t.same(again.listJobs().map((j) => [j.id, j.name]), [["Job-a", "original"]]);
  await again.close();
});

t.test("a journal cut back after a failure never has a later line written after a torn one", async (t) => {
  const path = tempPath();
  const disk = fullDisk();
  const store = new FileStore({ path, journalAppend: disk.append });
  await store.open();
  for (let i = 0; i < 5; i++) {
    disk.full = i % 2 === 1;
    await store.saveJob(makeJob(`Job-${i}`)).catch(() => undefined);
  }
  const text = readFileSync(`${path}.journal`, "utf8");
  for (const line of text.split("\n").filter((l) => l !== "")) t.doesNotThrow(() => JSON.parse(line));
  t.same(store.listJobs().map((j) => j.id).sort(), ["Job-0", "Job-2", "Job-4"]);
  await store.close();
});
