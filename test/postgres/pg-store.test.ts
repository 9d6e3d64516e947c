import t from "tap";
import { PgStore } from "../../src/postgres/index.js";
import type { Store } from "../../src/store/store.js";
import { makeExecution, makeJob } from "../helpers/records.js";
import { postgresUnavailable, testPostgres } from "../helpers/postgres.js";
import { storeContract } from "../store/store-contract.js";

const unavailable = postgresUnavailable();
if (unavailable !== null) {
  t.plan(0, unavailable);
} else {
  const pg = await testPostgres();
  const opened = new Map<Store, { url: string; now: (() => number) | undefined }>();

  t.test("PgStore passes the Store contract", async (t) => {
    storeContract(t, {
      async fresh(options = {}) {
        const url = pg.newDatabase();
        const store = new PgStore({ connectionString: url, ...options });
        await store.open();
        opened.set(store, { url, now: options.now });
        return store;
      },
      async reopen(store) {
        const { url, now } = opened.get(store)!;
        await store.close();
        const again = new PgStore({ connectionString: url, ...(now && { now }) });
        await again.open();
        opened.set(again, { url, now });
        return again;
      },
    });
  });

  t.test("several stores opening one new database at once migrate it once", async (t) => {
    const url = pg.newDatabase();
    const stores = Array.from({ length: 4 }, () => new PgStore({ connectionString: url, exclusive: false }));
    await Promise.all(stores.map((s) => s.open()));
    await stores[0]!.saveJob(makeJob("Job-1"));
    const late = new PgStore({ connectionString: url, exclusive: false });
    await late.open();
    t.same(late.listJobs().map((j) => j.id), ["Job-1"]);
    await Promise.all([...stores, late].map((s) => s.close()));
  });

  t.test("a burst of saves of one run costs a few transactions, not one per save", async (t) => {
    const url = pg.newDatabase();
    const store = new PgStore({ connectionString: url, now: () => Date.parse("2026-01-05T00:00:00Z") });
    await store.open();
    const run = makeExecution("Exec-1", "Job-1", "2026-01-01T00:00:00.000Z", "Running");
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 500; i++) saves.push(store.saveExecution({ ...run, percentComplete: i / 5 }));
    await Promise.all(saves);
    t.ok(store.stats.transactions <= 3, `${store.stats.transactions} transactions for 500 saves`);
    await store.close();
    const again = new PgStore({ connectionString: url });
    await again.open();
    t.equal(again.getExecution("Exec-1")?.percentComplete, 99.8, "the last save is the one kept");
    await again.close();
  });

  t.test("a second store on a held schema refuses to open, naming the holder; once the holder is gone it opens", async (t) => {
    const url = pg.newDatabase();
    const first = new PgStore({ connectionString: url });
    await first.open();
    const second = new PgStore({ connectionString: url });
    await t.rejects(second.open(), { code: "StoreError", message: new RegExp(`in use by another Shoal \\(shoal ${process.pid}@`) });
    const otherSchema = new PgStore({ connectionString: url, schema: "shoal_b" });
    await otherSchema.open();
    t.pass("a store on another schema of the same database opens");
    await otherSchema.close();
    await first.close();
    await second.open();
    await second.close();
  });

  t.test("a database that cannot be reached fails open with a StoreError naming PostgreSQL", async (t) => {
    const store = new PgStore({ connectionString: "postgres://shoal@127.0.0.1:1/none" });
    await t.rejects(store.open(), { code: "StoreError", message: /PostgreSQL/ });
  });

  t.test("a schema name that is not a plain identifier is refused before any SQL", async (t) => {
    t.throws(() => new PgStore({ connectionString: pg.url, schema: "x; DROP TABLE jobs" }), TypeError);
  });
}
