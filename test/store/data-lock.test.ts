import { spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import t from "tap";
import { StoreLockedError } from "../../src/store/data-lock.js";
import { FileStore } from "../../src/store/file-store.js";
import { deadPid } from "../helpers/process-death.js";
import { makeJob } from "../helpers/records.js";
import { tempDir } from "../helpers/temp-dir.js";
import { NODE, nodeArgs } from "../helpers/node-child.js";

function tempPath(): string {
  return join(tempDir("shoal-lock-"), "data", "shoal.json");
}

function writeLock(path: string, holder: { pid: number; host: string }): void {
  writeFileSync(`${path}.lock`, JSON.stringify({ ...holder, startedAt: "2026-01-01T00:00:00.000Z", nonce: "left-behind" }));
}

t.test("a second FileStore on the same file refuses to open, naming the holder and the directory, until the first closes", async (t) => {
  const path = tempPath();
  const first = new FileStore({ path });
  await first.open();
  await first.saveJob(makeJob("Job-a"));
  const lock = JSON.parse(readFileSync(`${path}.lock`, "utf8")) as { pid: number; host: string; startedAt: string };
  t.match(lock, { pid: process.pid, host: hostname(), startedAt: /^\d{4}-/ });

  const second = new FileStore({ path });
  const error = await second.open().then(() => undefined, (e: unknown) => e);
  t.type(error, StoreLockedError);
  t.match((error as Error).message, `pid ${process.pid}`);
  t.match((error as Error).message, join(path, ".."));
  t.equal((error as StoreLockedError).code, "StoreError");

  await first.close();
  t.notOk(existsSync(`${path}.lock`), "a clean close removes the lock");
  await second.open();
  t.same(second.listJobs().map((j) => j.id), ["Job-a"]);
  await second.close();
});

t.test("a lock left by a process that no longer runs does not block", async (t) => {
  const other = tempPath();
  const first = new FileStore({ path: other });
  await first.open();
  await first.close();
  writeLock(other, { pid: deadPid(), host: hostname() });
  const again = new FileStore({ path: other });
  await again.open();
  t.match(JSON.parse(readFileSync(`${other}.lock`, "utf8")), { pid: process.pid }, "the stale lock was taken over");
  await again.close();
});

t.test("a lock naming this very pid that this process does not hold (pid reused after a restart) is stale", async (t) => {
  const path = tempPath();
  const first = new FileStore({ path });
  await first.open();
  await first.close();
  writeLock(path, { pid: process.pid, host: hostname() });
  const again = new FileStore({ path });
  await again.open();
  await again.close();
  t.pass("opened");
});

t.test("a lock held on another host is respected: its holder cannot be checked from here", async (t) => {
  const path = tempPath();
  const first = new FileStore({ path });
  await first.open();
  await first.close();
  writeLock(path, { pid: 4242, host: "some-other-host" });
  await t.rejects(new FileStore({ path }).open(), /pid 4242 on host some-other-host/);
});

t.test("two processes: the second refuses while the first lives, and opens once it was killed with SIGKILL", async (t) => {
  const path = tempPath();
  const script =
    `import { FileStore } from ${JSON.stringify(new URL("../../src/store/file-store.js", import.meta.url).href)};` +
    `const store = new FileStore({ path: ${JSON.stringify(path)} }); await store.open(); console.log("open"); setInterval(() => {}, 1000);`;
  const child = spawn(NODE, nodeArgs(["--input-type=module", "-e", script]), { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  t.teardown(() => void child.kill("SIGKILL"));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("open") && resolve());
    child.once("exit", (code) => reject(new Error(`child exited ${code}`)));
  });

  const refused = await new FileStore({ path }).open().then(() => undefined, (e: unknown) => e);
  t.type(refused, StoreLockedError);
  t.match((refused as Error).message, `pid ${child.pid}`);

  child.kill("SIGKILL");
  await exited;
  const store = new FileStore({ path });
  await store.open();
  await store.close();
  t.pass("the dead holder's lock did not block");
});
