/**
 * `npm test`'s runner: runs each compiled test file (lib/test/**\/*.test.js) in
 * its own Node process, a few at a time, and reads each one's TAP with
 * tap-parser. The tests themselves are ordinary tap tests; any one of them can
 * still be run alone with `npx tap lib/test/...` or `node lib/test/...`.
 *
 * Why not tap's own runner: it starts every test file, and every process a
 * test starts, under its coverage loader (@tapjs/processinfo), which it adds
 * even with coverage turned off. On Node 20 that loader runs a module-hooks
 * thread that every import goes through: 1.1 s of CPU for a file that only
 * imports tap, 2.5 s for one that loads the gateway, which was about a third of
 * the suite's CPU. This suite collects no coverage, so it runs without it.
 *
 * Usage: node lib/test/run.js [file or folder ...] [--exclude=<text> ...]
 * (a folder is searched for *.test.js files; a file named is run whatever its name).
 * TEST_JOBS sets how many files run at once (default 4: on 2 cores many files
 * spend their time waiting on child processes, sockets and timers).
 */
import { spawn } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import pLimit from "p-limit";
import { Parser } from "tap-parser";

/**
 * A file's own limit (tap's per-test timer gets the same), then it is stopped and counted as
 * failed. A safety net for a hung file, not a speed check: the cluster test took 262 s at load 19.
 */
const FILE_TIMEOUT_SECONDS = 600;
/** Folders whose files take longest: started first, so the run does not end with one of them alone. */
const SLOW_FIRST = ["cluster/", "ui/", "postgres/"];

const root = fileURLToPath(new URL("../..", import.meta.url));
const testRoot = join(root, "lib", "test");

interface FileOutcome {
  file: string;
  ok: boolean;
  assertions: number;
  seconds: number;
  output: string;
}

function testFiles(paths: string[]): string[] {
  const found: string[] = [];
  const walk = (path: string, named: boolean): void => {
    if (statSync(path).isDirectory()) {
      for (const name of readdirSync(path).sort()) walk(join(path, name), false);
    } else if (named || path.endsWith(".test.js")) {
      found.push(path);
    }
  };
  for (const path of paths.length > 0 ? paths : [testRoot]) walk(join(root, relative(root, path)), true);
  return found;
}

function slowFirst(files: string[]): string[] {
  const rank = (file: string): number => {
    const at = SLOW_FIRST.findIndex((dir) => relative(testRoot, file).startsWith(dir));
    return at === -1 ? SLOW_FIRST.length : at;
  };
  return [...files].sort((a, b) => rank(a) - rank(b));
}

/** Leaf assertions: every assert line, less the summary line each subtest ends with. */
function countAssertions(parser: Parser): () => number {
  let asserts = 0;
  let subtests = 0;
  const watch = (p: Parser): void => {
    p.on("assert", () => asserts++);
    p.on("child", (child: Parser) => {
      subtests++;
      watch(child);
    });
  };
  watch(parser);
  return () => asserts - subtests;
}

function runFile(file: string): Promise<FileOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    // A file that printed no TAP, or ran no assertion without saying why (tap's `1..0 # reason`), proved nothing.
    let verdict = false;
    const parser = new Parser((results) => (verdict = results.ok && (results.count > 0 || results.plan.skipAll)));
    const assertions = countAssertions(parser);
    const child = spawn(process.execPath, ["--enable-source-maps", file], {
      cwd: root,
      env: { ...process.env, TAP_TIMEOUT: String(FILE_TIMEOUT_SECONDS) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      output += chunk;
      stdout += chunk;
      parser.write(chunk);
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGTERM");
      setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
    }, (FILE_TIMEOUT_SECONDS + 30) * 1000);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      parser.end();
      // tap-parser assumes a version and a plan where none was printed: a file that is not tap has to be caught here.
      const spokeTap = /^TAP version \d+$/m.test(stdout);
      const ended = code === 0 && signal === null && !timedOut && spokeTap;
      if (timedOut) output += `\n# stopped after ${FILE_TIMEOUT_SECONDS + 30} s\n`;
      else if (!spokeTap) output += "\n# printed no TAP\n";
      else if (!ended) output += `\n# exited with ${signal ?? `code ${code}`}\n`;
      resolve({ file: relative(root, file), ok: verdict && ended, assertions: assertions(), seconds: (performance.now() - started) / 1000, output });
    });
  });
}

async function main(argv: string[]): Promise<number> {
  const excluded = argv.filter((a) => a.startsWith("--exclude=")).map((a) => a.slice("--exclude=".length));
  const paths = argv.filter((a) => !a.startsWith("--"));
  const files = slowFirst(testFiles(paths)).filter((f) => !excluded.some((text) => f.includes(text)));
  const jobs = Number(process.env["TEST_JOBS"] ?? 4);
  if (!Number.isInteger(jobs) || jobs < 1) throw new Error(`TEST_JOBS must be a whole number of at least 1, got ${process.env["TEST_JOBS"]}`);
  const limit = pLimit(jobs);
  const started = performance.now();
  const outcomes = await Promise.all(
    files.map((file) =>
      limit(async () => {
        const outcome = await runFile(file);
        const line = `${outcome.ok ? "ok  " : "FAIL"} ${outcome.seconds.toFixed(1).padStart(6)} s  ${outcome.file} (${outcome.assertions})`;
        console.log(outcome.ok ? line : `${line}\n${outcome.output}`);
        return outcome;
      }),
    ),
  );
  const failed = outcomes.filter((o) => !o.ok);
  const assertions = outcomes.reduce((n, o) => n + o.assertions, 0);
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  console.log(`\n${files.length} files, ${assertions} assertions, ${failed.length} files failed, ${seconds} s (${jobs} at a time)`);
  for (const f of failed) console.log(`failed: ${f.file}`);
  return failed.length === 0 && files.length > 0 ? 0 : 1;
}

process.exitCode = await main(process.argv.slice(2));
