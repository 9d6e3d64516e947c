import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import t from "tap";
import { NODE, nodeArgs } from "../helpers/node-child.js";

// The bench's figures are read by people, not asserted: this pins only that it runs to the
// end with every side in its own process, and prints each run's outcome and the ratios.
const BENCH = fileURLToPath(new URL("../../../bench/fanout-http.mjs", import.meta.url));
const run = promisify(execFile);
const TARGETS = 12;

interface SideRun {
  succeeded: number;
  wallMs: number;
  apiP50Ms?: number;
  threadsCpuMs: Record<string, number>;
}

t.test("fanout-http runs every side cold, warm and probed in processes of its own, and prints the ratios", async (t) => {
  const { stdout } = await run(NODE, nodeArgs(["--expose-gc", BENCH]), {
    timeout: 120_000,
    env: { ...process.env, FANOUT_TARGETS: String(TARGETS), FANOUT_ROUNDS: "1" },
  });
  const out = JSON.parse(stdout) as {
    rounds: { temp: string; bare: SideRun; bare3: SideRun; shoal: SideRun; wallRatio: number; apiP99Ratio?: number }[];
    summary: Record<string, [number, number] | null>;
    shoalResultFiles: number;
    rssMB: Record<string, number>;
  };
  t.same(
    out.rounds.map((r) => r.temp),
    ["cold", "warm", "probed"],
  );
  for (const round of out.rounds) {
    for (const side of ["bare", "bare3", "shoal"] as const) {
      t.equal(round[side].succeeded, TARGETS, `${round.temp} ${side}: every machine patched`);
      // The probe runs only in the probed run, so the fan-out's own runs carry no API figures.
      t.equal(round[side].apiP50Ms !== undefined, round.temp === "probed", `${round.temp} ${side}: API figures only when probed`);
    }
    t.ok(round.wallRatio > 0);
    t.equal(round.apiP99Ratio !== undefined, round.temp === "probed");
  }
  for (const key of ["wallRatioCold", "wallRatioWarm", "wallRatioSameWorkWarm", "cpuRatio", "wallRatioProbed", "apiP50MsShoal", "apiP99Ratio"]) {
    t.equal(out.summary[key]?.length, 2, `summary.${key} is a range`);
  }
  // Four runs (untimed, cold, warm, probed), each one result file per machine and one summary.
  t.equal(out.shoalResultFiles, 4 * (TARGETS + 1));
  t.same(Object.keys(out.rssMB).sort(), ["bare", "bare3", "shoal"], "each side reports its own process's RSS");
});
