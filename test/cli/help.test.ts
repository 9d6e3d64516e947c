import t from "tap";
import { GROUPS } from "../../cli/run.js";
import { GLOBAL_OPTIONS } from "../../cli/global-options.js";
import { run } from "./helpers.js";

t.test("every command answers --help on stdout with exit 0 and its usage line", async (t) => {
  for (const group of GROUPS) {
    for (const command of group.commands) {
      const words = command.name === "" ? [group.name] : [group.name, command.name];
      const r = await run([...words, "--help"]);
      t.equal(r.code, 0, `${words.join(" ")} --help exits 0`);
      t.match(r.stdout, `Usage: shoal ${words.join(" ")}`, `${words.join(" ")} --help shows its usage`);
      t.match(r.stdout, "--json", "global options are listed");
      for (const option of Object.keys(command.options ?? {})) t.match(r.stdout, `--${option}`, `${words.join(" ")} lists --${option}`);
      t.equal(r.stderr, "");
    }
  }
});

t.test("help for a group lists its commands; `shoal help jobs trigger` is `shoal jobs trigger --help`", async (t) => {
  const jobs = await run(["jobs", "--help"]);
  t.equal(jobs.code, 0);
  for (const name of ["list", "get", "create", "delete", "pause", "resume", "edit", "trigger"]) t.match(jobs.stdout, `  ${name} `);
  const viaHelp = await run(["help", "jobs", "trigger"]);
  const direct = await run(["jobs", "trigger", "--help"]);
  t.equal(viaHelp.stdout, direct.stdout);
  t.equal(viaHelp.code, 0);
});

t.test("top-level help names the exit codes; no command at all is a usage error (2) with help on stderr", async (t) => {
  const help = await run(["--help"]);
  t.equal(help.code, 0);
  t.match(help.stdout, /Exit codes:[\s\S]*1 {2}jobs trigger --wait[\s\S]*2 {2}wrong command line[\s\S]*3 {2}cancelled/);
  const bare = await run([]);
  t.equal(bare.code, 2);
  t.equal(bare.stdout, "");
  t.match(bare.stderr, "Usage: shoal <command>");
});

t.test("a group without a command word prints its help on stderr and exits 2", async (t) => {
  const r = await run(["machines"]);
  t.equal(r.code, 2);
  t.match(r.stderr, "Usage: shoal machines <command>");
});

t.test("usage errors exit 2 with one line and a --help hint", async (t) => {
  const cases: [string[], RegExp][] = [
    [["frobnicate"], /unknown command "frobnicate"/],
    [["jobs", "explode"], /unknown jobs command "explode"/],
    [["jobs", "get"], /missing JOB_ID/],
    [["jobs", "get", "a", "b"], /unexpected argument "b"/],
    [["jobs", "list", "--frob"], /unknown option --frob/],
    [["jobs", "list", "--url"], /option --url needs a value/],
    [["executions", "show", "Job-1"], /missing EXECUTION_ID/],
    [["preview", "--count", "0", "--at", "10:00"], /--count must be a whole number from 1 to 1000/],
    [["results", "--status", "maybe"], /--status must be success or error/],
  ];
  for (const [argv, message] of cases) {
    const r = await run(argv);
    t.equal(r.code, 2, `${argv.join(" ")} exits 2`);
    t.match(r.stderr, message, argv.join(" "));
    t.match(r.stderr, /Run 'shoal[^']*--help' for usage\./);
    t.equal(r.stdout, "", "nothing on stdout");
  }
});

t.test("--version prints the package version", async (t) => {
  const r = await run(["--version"]);
  t.equal(r.code, 0);
  t.match(r.stdout, /^\d+\.\d+\.\d+\n$/);
});

t.test("an option name means one type everywhere, so the forgiving first parse finds the command words", async (t) => {
  const seen = new Map<string, string>(Object.entries(GLOBAL_OPTIONS).map(([k, v]) => [k, v.type]));
  for (const group of GROUPS) {
    for (const command of group.commands) {
      for (const [name, spec] of Object.entries(command.options ?? {})) {
        const before = seen.get(name);
        if (before !== undefined) t.equal(spec.type, before, `--${name} in ${group.name} ${command.name}`);
        seen.set(name, spec.type);
      }
    }
  }
});

t.test("global options may come before the command words", async (t) => {
  const r = await run(["--json", "preview", "--at", "10:00", "--tz", "UTC", "--after", "2026-01-01T00:00:00Z", "--count", "1"]);
  t.equal(r.code, 0);
  t.same(JSON.parse(r.stdout).NextRunTimes, ["2026-01-01T10:00:00Z"]);
});
