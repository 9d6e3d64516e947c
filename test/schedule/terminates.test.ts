/**
 * A property test: whatever the zone, the dates, the day lists or the cron
 * pattern, validateSchedule, nextRuns and describeSchedule return (a value
 * or an error) instead of looping. A seeded generator keeps every run the
 * same; a failure prints the case. A loop that never ends shows up as this
 * file timing out, which is the failure this test exists to catch.
 */
import t from "tap";
import { describeSchedule, nextRuns, validateSchedule } from "../../src/schedule/index.js";

const CASES = 400;

/** mulberry32: small, seeded, good enough to pick test inputs. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = [
  "UTC", "Asia/Taipei", "Europe/Berlin", "America/New_York", "America/St_Johns", "Australia/Lord_Howe",
  "Pacific/Chatham", "Pacific/Apia", "Pacific/Kiritimati", "Africa/Casablanca", "Antarctica/Troll", "Europe/Dublin",
  "Asia/Kathmandu", "America/Santiago", "Etc/GMT+12", "Etc/GMT-14",
  // Not zones: must be refused or reported, never computed with.
  "Nope/Zone", "", "utc ", "Mars/Olympus_Mons", "+05:00",
];
const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Funday"];
const CRON_FIELDS = [
  ["0", "*", "*/15", "59", "60", "1-5", "5-1", "*/0", "x"],
  ["0", "*", "2", "23", "24", "*/7", "1,13"],
  ["*", "1", "15", "29", "30", "31", "L", "32", "0"],
  ["*", "1", "2", "12", "13", "*/3", "JAN", "FEB"],
  ["*", "0", "1-5", "6", "7", "MON-FRI", "SUN", "8", "5#3", "1L"],
];
const NICKNAMES = ["@yearly", "@monthly", "@weekly", "@daily", "@hourly", "@reboot", "@never"];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function int(random: () => number, low: number, high: number): number {
  return low + Math.floor(random() * (high - low + 1));
}

function civilDate(random: () => number): string {
  const year = random() < 0.1 ? pick(random, [1, 1583, 1969, 2038, 2100, 9999]) : int(random, 1990, 2200);
  const month = int(random, random() < 0.1 ? 0 : 1, random() < 0.1 ? 13 : 12);
  const day = int(random, random() < 0.1 ? 0 : 1, random() < 0.1 ? 32 : 31);
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function timeOfDay(random: () => number): string {
  if (random() < 0.05) return pick(random, ["24:00", "12:60", "noon", "2:30", "02:30:00", "23:59:59"]);
  return `${String(int(random, 0, 23)).padStart(2, "0")}:${String(int(random, 0, 59)).padStart(2, "0")}`;
}

function subset<T>(random: () => number, list: readonly T[]): T[] {
  return list.filter(() => random() < 0.25);
}

function scheduleInput(random: () => number): Record<string, unknown> {
  const zone = random() < 0.7 ? { timeZone: pick(random, ZONES) } : {};
  switch (pick(random, ["Once", "Continuous", "Cron", "Manual"] as const)) {
    case "Manual":
      return { type: "Manual" };
    case "Once":
      return { type: "Once", time: timeOfDay(random), ...(random() < 0.7 ? { date: civilDate(random) } : {}), ...zone };
    case "Cron": {
      const fields = CRON_FIELDS.map((options) => pick(random, options));
      const cron = random() < 0.1 ? pick(random, NICKNAMES) : random() < 0.2 ? `0 ${fields.join(" ")}` : fields.join(" ");
      return { type: "Cron", cron, ...zone };
    }
    case "Continuous": {
      const period: Record<string, unknown> = {};
      if (random() < 0.6) period.daysOfWeek = subset(random, WEEKDAYS);
      if (random() < 0.5) period.daysOfMonth = subset(random, [1, 2, 15, 28, 29, 30, 31, "L", 0, 32]);
      if (random() < 0.4) period.startDay = civilDate(random);
      if (random() < 0.4) period.endDay = civilDate(random);
      return { type: "Continuous", time: timeOfDay(random), ...(random() < 0.9 ? { period } : {}), ...zone };
    }
  }
}

function attempt(work: () => unknown): void {
  try {
    work();
  } catch {
    // An error is an answer; only never answering is a failure.
  }
}

t.test(`validateSchedule, nextRuns and describeSchedule end for ${CASES} generated schedules, zones and instants`, async (t) => {
  const random = generator(20261130);
  let valid = 0;
  let slowest = { ms: 0, input: "" };
  for (let i = 0; i < CASES; i++) {
    const input = scheduleInput(random);
    const fallbackZone = pick(random, ZONES);
    const after = new Date(Date.UTC(int(random, 1970, 2150), int(random, 0, 11), int(random, 1, 31), int(random, 0, 23), int(random, 0, 59)));
    const count = pick(random, [1, 2, 5, 50, 366]);
    const started = performance.now();
    attempt(() => {
      const schedule = validateSchedule(input, { now: after, timeZone: fallbackZone });
      valid++;
      attempt(() => nextRuns(schedule, count, { after, timeZone: fallbackZone }));
      attempt(() => describeSchedule(schedule, { timeZone: fallbackZone }));
    });
    // Also the unvalidated paths a caller might take with a hand-built schedule and a bad zone.
    attempt(() => nextRuns(input as never, count, { after, timeZone: fallbackZone }));
    const ms = performance.now() - started;
    if (ms > slowest.ms) slowest = { ms, input: JSON.stringify({ input, fallbackZone, after, count }) };
  }
  t.ok(valid > CASES / 5, `${valid} of ${CASES} generated schedules were valid, so the run-computing paths were exercised`);
  t.comment(`slowest case: ${slowest.ms.toFixed(1)} ms: ${slowest.input}`);
});

t.test("a schedule computed in a zone that does not exist is an error, not an endless walk", async (t) => {
  const after = new Date("2026-11-30T00:00:00Z");
  t.throws(() => nextRuns({ type: "Continuous", time: "22:00" }, 3, { after, timeZone: "Nope/Zone" }), /Nope\/Zone/);
  t.throws(() => nextRuns({ type: "Once", time: "22:00" }, 1, { after, timeZone: "Nope/Zone" }), /Nope\/Zone/);
  t.throws(() => nextRuns({ type: "Cron", cron: "0 22 * * *" }, 1, { after, timeZone: "Nope/Zone" }), /Nope\/Zone/);
});
