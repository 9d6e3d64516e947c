/**
 * A single next run of a cron pattern is remembered per (pattern, zone): the
 * first run after any instant between the last question and its answer is
 * that answer, so jobs on one pattern firing together cost croner one step,
 * and every answer is still the one a fresh croner gives, across daylight
 * saving changes too.
 */
import t from "tap";
import { Cron } from "croner";
import { compileCron, cronRuns } from "../../src/schedule/cron.js";
import { nextRun } from "../../src/schedule/next-runs.js";

t.test("a thousand jobs on one pattern asking at the same minute make croner step once", async (t) => {
  const pattern = "7 * * * *";
  const zone = "Asia/Kolkata";
  const cron = compileCron(pattern, zone);
  const own = cron.nextRuns.bind(cron);
  let steps = 0;
  cron.nextRuns = (...args: Parameters<Cron["nextRuns"]>) => {
    steps++;
    return own(...args);
  };
  t.teardown(() => {
    cron.nextRuns = own;
  });
  const due = Date.parse("2026-06-05T10:37:00Z");
  const answers = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const [next] = cronRuns(pattern, zone, 1, new Date(due + i)); // each a little later, as a burst fires them
    answers.add(next!.toISOString());
  }
  t.equal(steps, 1, "croner was asked once");
  t.same([...answers], ["2026-06-05T11:37:00.000Z"]);
  cronRuns(pattern, zone, 1, new Date("2026-06-05T11:37:00Z"));
  t.equal(steps, 2, "at the answer itself, the next one is asked for");
  cronRuns(pattern, zone, 1, new Date("2026-06-05T10:00:00Z"));
  t.equal(steps, 3, "and before the remembered window too");
});

t.test("remembered answers are croner's own, over a day of daylight saving changes and a pattern that ends", async (t) => {
  const cases = [
    { pattern: "30 2 * * *", zone: "Europe/Berlin", from: "2026-03-28T00:00:00Z" }, // 02:30 does not exist on the 29th
    { pattern: "*/20 1-3 * * *", zone: "America/New_York", from: "2026-10-31T12:00:00Z" }, // 01:xx happens twice on 1 November
    { pattern: "0 0 29 2 *", zone: "UTC", from: "2026-01-01T00:00:00Z" },
    { pattern: "*/7 * * * * *", zone: "Australia/Lord_Howe", from: "2026-04-04T14:00:00Z" }, // a 30-minute shift
  ];
  let compared = 0;
  for (const c of cases) {
    const fresh = new Cron(c.pattern, { timezone: c.zone, paused: true });
    const start = Date.parse(c.from);
    // Instants in order and out of order, some on runs exactly, over 2 days.
    const instants: number[] = [];
    for (let i = 0; i < 400; i++) instants.push(start + Math.floor((i * 2 * 86_400_000) / 400));
    for (let i = 0; i < 100; i++) instants.push(start + ((i * 7_919_000) % (2 * 86_400_000)));
    for (const at of instants) {
      const expected = fresh.nextRun(new Date(at))?.toISOString() ?? null;
      const got = nextRun({ type: "Cron", cron: c.pattern, timeZone: c.zone }, { after: new Date(at) })?.toISOString() ?? null;
      if (got !== expected) t.fail(`${c.pattern} in ${c.zone} after ${new Date(at).toISOString()}: ${got} against ${expected}`);
      compared++;
      if (expected !== null) {
        // Exactly on a run: the next one, strictly after.
        const onRun = Date.parse(expected);
        const after = nextRun({ type: "Cron", cron: c.pattern, timeZone: c.zone }, { after: new Date(onRun) })?.toISOString() ?? null;
        t.not(after, expected, "strictly after");
        if (after !== (fresh.nextRun(new Date(onRun))?.toISOString() ?? null)) t.fail(`on a run: ${after}`);
        compared++;
      }
    }
  }
  t.ok(compared >= 4000, `${compared} answers compared with a fresh croner`);
});

t.test("each schedule keeps its compiled pattern, however many patterns are in use", async (t) => {
  // More patterns than the shared table holds (1 000): each schedule is its own job's.
  const schedules = Array.from({ length: 1500 }, (_, i) => ({
    type: "Continuous" as const,
    time: `${String(Math.floor(i / 60) % 24).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}:${String(Math.floor(i / 1440) * 7).padStart(2, "0")}`,
    timeZone: "Europe/Paris",
  }));
  const cronSchedules = Array.from({ length: 1500 }, (_, i) => ({ type: "Cron" as const, cron: `${i % 60} ${Math.floor(i / 60)} * * * *`, timeZone: "UTC" }));
  const own = Cron.prototype.nextRuns;
  let used = new Set<Cron>();
  Cron.prototype.nextRuns = function (this: Cron, ...args: Parameters<Cron["nextRuns"]>) {
    used.add(this);
    return own.apply(this, args);
  };
  t.teardown(() => {
    Cron.prototype.nextRuns = own;
  });
  const ask = (at: number) => {
    for (const s of [...schedules, ...cronSchedules]) nextRun(s, { after: new Date(at) });
  };
  const start = Date.parse("2026-06-05T00:00:00Z");
  ask(start);
  const first = used;
  t.equal(first.size, 3000, "one compiled pattern per schedule");
  used = new Set();
  ask(start + 3 * 86_400_000); // days later: past every remembered answer, so croner is asked again
  t.equal(used.size, 3000);
  t.equal([...used].filter((cron) => !first.has(cron)).length, 0, "none was parsed again");
});
