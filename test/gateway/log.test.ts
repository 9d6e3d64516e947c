import t from "tap";
import { createLogger } from "../../gateway/log.js";

t.test("each record is one JSON line with time, level, message and fields", async (t) => {
  const lines: string[] = [];
  const log = createLogger({ sink: (l) => lines.push(l), now: () => new Date("2026-02-10T22:00:00Z") });
  log.info("started", { port: 8080 });
  t.same(lines.map((l) => JSON.parse(l) as unknown), [{ time: "2026-02-10T22:00:00.000Z", level: "info", msg: "started", port: 8080 }]);
});

t.test("records below the level are dropped", async (t) => {
  const lines: string[] = [];
  const log = createLogger({ level: "warn", sink: (l) => lines.push(l) });
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  t.same(lines.map((l) => (JSON.parse(l) as { msg: string }).msg), ["w", "e"]);
});

t.test("an error field keeps its name, message and stack", async (t) => {
  const lines: string[] = [];
  createLogger({ sink: (l) => lines.push(l) }).error("failed", { error: new RangeError("too far") });
  const record = JSON.parse(lines[0] ?? "{}") as { error: { name: string; message: string; stack: string } };
  t.equal(record.error.name, "RangeError");
  t.equal(record.error.message, "too far");
  t.match(record.error.stack, /RangeError: too far/);
});
