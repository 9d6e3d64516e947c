import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import t from "tap";
import { NODE, nodeArgs } from "./helpers/node-child.js";

const RUNNER = fileURLToPath(new URL("./run.js", import.meta.url));
const fixture = (name: string) => fileURLToPath(new URL(`./runner-fixtures/${name}.js`, import.meta.url));

function runner(files: string[]): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, nodeArgs([RUNNER, ...files.map(fixture)]), { stdio: ["ignore", "pipe", "inherit"] });
    let stdout = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout }));
  });
}

/** The runner's verdict line for one fixture: "ok" or "FAIL" and the assertions it counted. */
function verdict(stdout: string, name: string): { status: string; assertions: number } | undefined {
  const line = stdout.split("\n").find((l) => l.includes(`runner-fixtures/${name}.js`) && /^(ok|FAIL)/.test(l));
  const m = line && /^(ok|FAIL)\s.*\((\d+)\)$/.exec(line);
  return m ? { status: m[1]!, assertions: Number(m[2]) } : undefined;
}

t.test("the suite runner passes only files whose TAP passes, counts leaf assertions, and fails the run on any failure", async (t) => {
  const all = await runner(["passes", "fails", "throws", "skips", "not-tap", "no-tests"]);
  t.same(verdict(all.stdout, "passes"), { status: "ok", assertions: 3 }, "subtest summaries are not counted as assertions");
  t.same(verdict(all.stdout, "skips"), { status: "ok", assertions: 0 }, "a file that plans no test and says why passes");
  t.equal(verdict(all.stdout, "fails")?.status, "FAIL", "a failing assertion fails its file");
  t.match(all.stdout, /not ok 1 - one is not two/, "and its TAP is printed");
  t.equal(verdict(all.stdout, "throws")?.status, "FAIL", "a throw at the top of a file fails it");
  t.equal(verdict(all.stdout, "not-tap")?.status, "FAIL", "a file that prints no TAP proves nothing");
  t.equal(verdict(all.stdout, "no-tests")?.status, "FAIL", "so does a file that runs no test");
  t.match(all.stdout, /6 files, \d+ assertions, 4 files failed/);
  t.equal(all.code, 1, "the run fails");

  const good = await runner(["passes", "skips"]);
  t.equal(good.code, 0, "a run of passing files succeeds");
  t.match(good.stdout, /2 files, 3 assertions, 0 files failed/);
});
