import t from "tap";
import pg from "pg";
import PgBoss from "pg-boss";
import { Cluster } from "../../src/postgres/index.js";
import { QUEUE_LOCK } from "../../src/postgres/cluster/cluster.js";
import { TASK_QUEUE } from "../../src/postgres/cluster/task-wire.js";
import { postgresUnavailable, testPostgres } from "../helpers/postgres.js";
import { until } from "../helpers/until.js";

const unavailable = postgresUnavailable();

function instance(url: string): { cluster: Cluster; store: ReturnType<Cluster["createStore"]>; close(): Promise<void> } {
  const cluster = new Cluster({ connectionString: url, workerPoolSize: 1 });
  const store = cluster.createStore();
  return {
    cluster,
    store,
    async close() {
      await cluster.close(0).catch(() => undefined);
      await store.close().catch(() => undefined);
    },
  };
}

if (unavailable !== null) {
  t.plan(0, unavailable);
} else {
  const server = await testPostgres();

  t.test("an instance that joins while another is making the task queue waits for it, instead of deadlocking with it", async (t) => {
    const url = server.newDatabase();
    // pg-boss's tables without Shoal's queue: what the first instances of a new cluster find.
    const boss = new PgBoss({ connectionString: url, schema: "shoal_queue", schedule: false, supervise: false });
    await boss.start();
    await boss.stop({ graceful: false, close: true, wait: true });

    // Another instance, half-way through making the queue as pg-boss does it: holding the
    // lock every instance takes for that, with the queue's row inserted, and next taking the
    // lock on the queue table that the partition's foreign key needs.
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    t.teardown(() => other.end());
    await other.query("BEGIN");
    await other.query("SELECT pg_advisory_xact_lock($1, hashtext('shoal'))", [QUEUE_LOCK]);
    await other.query("INSERT INTO shoal_queue.queue (name, partition_name) VALUES ($1, 'half-made')", [TASK_QUEUE]);

    const joining = instance(url);
    t.teardown(() => joining.close());
    await joining.store.open();
    const joined = joining.cluster.open().then(
      () => "joined",
      (error: unknown) => String(error),
    );
    // Watched from a connection of its own: inside a transaction, pg_stat_activity keeps its first answer.
    const watcher = new pg.Client({ connectionString: url });
    await watcher.connect();
    t.teardown(() => watcher.end());
    await until(
      async () => ((await watcher.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()")).rowCount ?? 0) > 0,
      { what: "the joining instance to wait on a lock", intervalMs: 20 },
    );
    // Unguarded, the joining instance waited on the row: this closed the cycle, and PostgreSQL aborted it.
    await other.query("LOCK TABLE shoal_queue.queue IN SHARE ROW EXCLUSIVE MODE");
    await other.query("ROLLBACK");

    t.equal(await joined, "joined", "the instance joins");
    const made = await other.query("SELECT partition_name FROM shoal_queue.queue WHERE name = $1", [TASK_QUEUE]);
    t.equal(made.rowCount, 1, "and made the queue itself once the other gave up");
  });

  t.test("six instances that start together on a fresh database all join", async (t) => {
    const url = server.newDatabase();
    const six = Array.from({ length: 6 }, () => instance(url));
    t.teardown(() => Promise.all(six.map((i) => i.close())));
    const joined = await Promise.allSettled(
      six.map(async ({ cluster, store }) => {
        await store.open();
        await cluster.open();
      }),
    );
    t.same(
      joined.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : [])),
      [],
      "none failed",
    );
  });
}
