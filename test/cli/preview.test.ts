import t from "tap";
import { run } from "./helpers.js";

const AFTER = ["--after", "2026-03-01T00:00:00Z"];

t.test("preview prints the sentence and the next runs in the schedule's zone", async (t) => {
  const r = await run(["preview", "--at", "22:00", "--days", "Mon,Wed,Fri", "--from", "2026-02-10", "--to", "2026-12-31", "--tz", "Asia/Taipei", "--count", "3", ...AFTER]);
  t.equal(r.code, 0);
  t.equal(
    r.stdout,
    [
      "At 22:00 on Monday, Wednesday and Friday, from 2026-02-10 to 2026-12-31 (Asia/Taipei)",
      "Next 3 runs:",
      "  Mon 2026-03-02 22:00 +08:00  (2026-03-02T14:00:00Z)",
      "  Wed 2026-03-04 22:00 +08:00  (2026-03-04T14:00:00Z)",
      "  Fri 2026-03-06 22:00 +08:00  (2026-03-06T14:00:00Z)",
      "",
    ].join("\n"),
  );
  t.equal(r.stderr, "");
});

t.test("--json answers as the gateway's PreviewSchedule does, with the wire Schedule", async (t) => {
  const r = await run(["preview", "--at", "08:00", "--days-of-month", "1,15,L", "--tz", "UTC", "--count", "4", "--json", ...AFTER]);
  t.equal(r.code, 0);
  t.same(JSON.parse(r.stdout), {
    Schedule: { Type: "Continuous", Time: "08:00:00", TimeZone: "UTC", Period: { DaysOfMonth: [1, 15, "L"] } },
    Description: "At 08:00 on days 1 and 15 and the last day of each month (UTC)",
    NextRunTimes: ["2026-03-01T08:00:00Z", "2026-03-15T08:00:00Z", "2026-03-31T08:00:00Z", "2026-04-01T08:00:00Z"],
  });
});

t.test("a schedule that ends says so", async (t) => {
  const once = await run(["preview", "--at", "09:00", "--date", "2026-03-05", "--tz", "UTC", ...AFTER]);
  t.equal(once.code, 0);
  t.match(once.stdout, /^Once at 09:00 on 2026-03-05 \(UTC\)\nNext run:\n {2}Thu 2026-03-05 09:00 \+00:00 {2}\(2026-03-05T09:00:00Z\)\nNo more runs after these\.\n$/);
  const over = await run(["preview", "--at", "09:00", "--to", "2026-02-01", "--tz", "UTC", ...AFTER]);
  t.match(over.stdout, /No runs remain\./);
  const manual = await run(["preview", "--manual"]);
  t.equal(manual.stdout, "Only when triggered\n");
});

t.test("cron patterns read as English", async (t) => {
  const r = await run(["preview", "--cron", "0 6 * * 1-5", "--tz", "Europe/Berlin", "--count", "2", ...AFTER]);
  t.equal(r.code, 0);
  t.match(r.stdout, /^At 06:00, Monday through Friday \(Europe\/Berlin\)\nNext 2 runs:\n {2}Mon 2026-03-02 06:00 \+01:00/);
});

t.test("invalid flags exit 2 with every problem on stderr and nothing on stdout", async (t) => {
  const r = await run(["preview", "--at", "24:30", "--days-of-month", "0", "--tz", "Nowhere/City"]);
  t.equal(r.code, 2);
  t.equal(r.stdout, "");
  t.match(r.stderr, /shoal: --tz: .*\nshoal: --at: .*\nshoal: --days-of-month: 0 is not a day of the month/);
  const bad = await run(["preview", "--at", "10:00", "--after", "yesterday"]);
  t.equal(bad.code, 2);
  t.match(bad.stderr, /--after: "yesterday" is not an instant/);
});

t.test("the preview is the same for --json and for people, and has no colour off a terminal", async (t) => {
  const human = await run(["preview", "--at", "10:00", "--tz", "UTC", "--count", "1", ...AFTER], { tty: 100 });
  t.match(human.stdout, /\u001b\[2m\(2026-03-01T10:00:00Z\)/, "dim timestamp on a terminal");
  const noColor = await run(["preview", "--at", "10:00", "--tz", "UTC", "--count", "1", ...AFTER], { tty: 100, env: { NO_COLOR: "1" } });
  t.notMatch(noColor.stdout, /\u001b/);
});
