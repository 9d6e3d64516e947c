import { join } from "node:path";
import t from "tap";
import { tempDir } from "../helpers/temp-dir.js";
import { spawnMain, startMain } from "./helpers/main-process.js";

t.test("a second gateway on the same DATA_DIR exits 3 naming the holder and the directory; the first keeps serving", async (t) => {
  const dir = tempDir("shoal-main-lock-");
  const env = { DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), LOG_LEVEL: "warn" };
  const first = await startMain(env);
  t.teardown(() => {
    if (first.child.exitCode === null) first.child.kill("SIGKILL");
  });

  const started = Date.now();
  const second = spawnMain(env);
  t.equal(await second.exited, 3, "exit code 3");
  t.comment(`the second gateway gave up after ${Date.now() - started} ms (process start included)`);
  t.match(second.output(), `pid ${first.child.pid}`);
  t.match(second.output(), join(dir, "data"));
  t.notMatch(second.output(), /listening/);

  const alive = await fetch(`${first.url}/MultiFish/v1`);
  t.equal(alive.status, 200, "the first one is unharmed");
  first.child.kill("SIGKILL");
  await first.exited;
  const third = await startMain(env);
  t.pass("after the holder was killed with SIGKILL, a new gateway starts on the same directory");
  third.child.kill("SIGTERM");
  t.equal(await third.exited, 0, `a clean stop on SIGTERM; it printed: ${third.output()}`);
});

for (const [variable, value] of [
  ["DATA_DIR", "/proc/nope"],
  ["LOGS_DIR", "/proc/nope"],
  ["TZ", "Nowhere/Atlantis"],
  ["STORE_ON_CORRUPT", "shrug"],
] as const) {
  t.test(`${variable}=${value} ends start-up at once with exit 2 and a message naming ${variable}`, async (t) => {
    const dir = tempDir("shoal-main-env-");
    const main = spawnMain({ DATA_DIR: join(dir, "data"), LOGS_DIR: join(dir, "logs"), [variable]: value });
    t.equal(await main.exited, 2);
    t.match(main.output(), new RegExp(`bad configuration: ${variable}`));
  });
}
