import t from "tap";
import pg from "pg";
import { Cluster } from "../../src/postgres/index.js";
import type { PgStore } from "../../src/postgres/index.js";
import type { Logger } from "../../src/scheduler/logger.js";
import { Scheduler } from "../../src/scheduler/scheduler.js";
import { postgresUnavailable, testPostgres } from "../helpers/postgres.js";
import { until } from "../helpers/until.js";

const unavailable = postgresUnavailable();

interface Line {
  level: string;
  message: string;
  fields: Record<string, unknown> | undefined;
}

function recordingLogger(): { logger: Logger; lines: Line[] } {
  const lines: Line[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => void lines.push({ level, message, fields });
  return { logger: { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error") }, lines };
}

/** One instance in this process: its store opened (it makes the tables), then the cluster joined. */
async function join(url: string, options: { now?: () => number; workerPoolSize?: number } = {}) {
  const { logger, lines } = recordingLogger();
  const cluster = new Cluster({ connectionString: url, workerPoolSize: options.workerPoolSize ?? 2, logger, ...(options.now && { now: options.now }) });
  const store: PgStore = cluster.createStore();
  await store.open();
  await cluster.open();
  return { cluster, store, lines };
}

if (unavailable !== null) {
  t.plan(0, unavailable);
} else {
  const server = await testPostgres();

  t.test("an instance whose clock is more than a second off the database's says so at start; one in step does not", async (t) => {
    const url = server.newDatabase();
    const late = await join(url, { now: () => Date.now() - 5000 });
    const warning = late.lines.find((l) => l.level === "warn" && /clock differs from the database's/.test(l.message));
    t.ok(warning, "a warning names the difference");
    t.ok(Math.abs(Number(warning?.fields?.["offsetMs"]) - 5000) < 1000, `the offset is about 5 s (${String(warning?.fields?.["offsetMs"])} ms)`);
    t.ok(Math.abs(Number(late.cluster.status.clockOffsetMs) - 5000) < 1000, "and the status keeps it");
    const inStep = await join(url);
    t.notOk(inStep.lines.some((l) => l.level === "warn"), "no warning when the clocks agree");
    for (const i of [late, inStep]) {
      await i.cluster.close(0);
      await i.store.close();
    }
  });

  t.test("stopping work hands a task waiting for its machine back to the queue at once, without running it", async (t) => {
    const url = server.newDatabase();
    const { cluster, store } = await join(url);
    const scheduler = new Scheduler({ store, cluster: cluster.hooks, workerPoolSize: 100, timeZone: "UTC" });
    cluster.attach(scheduler, store);
    const touched: string[] = [];
    cluster.distributing(scheduler).defineAction("touch", {
      async run(ctx) {
        touched.push(ctx.target);
        return { touched: ctx.target };
      },
    });
    await scheduler.start();
    cluster.startWorking();

    // Another live instance holds machine "x".
    const db = new pg.Client({ connectionString: url });
    await db.connect();
    t.teardown(() => db.end());
    await db.query("INSERT INTO shoal.instances (id) VALUES ('other')");
    await db.query("INSERT INTO shoal.target_leases (target, instance) VALUES ('x', 'other')");

    const job = await scheduler.createJob({ name: "touch x", schedule: { type: "Manual" }, steps: [{ action: "touch", targets: ["x"] }] });
    await scheduler.trigger(job.id);
    await until(async () => (await db.query("SELECT 1 FROM shoal_queue.job WHERE name = 'shoal-task' AND state = 'active'")).rowCount === 1, {
      what: "the task to be taken by this instance's worker",
      intervalMs: 50,
    });
    // A grace of ten minutes: only a task handed back, not one waited for, lets this resolve.
    await cluster.stopWorking(600_000);
    const { rows } = await db.query<{ state: string }>("SELECT state::text AS state FROM shoal_queue.job WHERE name = 'shoal-task'");
    t.same(rows.map((r) => r.state), ["retry"], "the task is back in the queue for another instance");
    t.same(touched, [], "the action never ran");

    await scheduler.stop({ graceMs: 0 });
    await cluster.close(0);
    await store.close();
  });
}
