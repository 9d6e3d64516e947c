import t from "tap";
import { call } from "../gateway/helpers/http.js";
import { postgresUnavailable, testPostgres } from "../helpers/postgres.js";
import { until } from "../helpers/until.js";
import { startSimulatedBmcs } from "../sim/fleet.js";
import { executionsOf, killAll, machinesSeenEverywhere, query, registerFleet, startInstances, stopInstance } from "./cluster-processes.js";

const unavailable = postgresUnavailable();
const FLEET = 60;
const POOL = "8";
const patch = (machines: string[], schedule: Record<string, unknown>, policy: Record<string, unknown> = {}) => ({
  Name: `cluster ${schedule["Type"]}`,
  Machines: machines,
  Action: "PatchProfile",
  Payload: [{ ManagerID: "bmc", Payload: { Profile: "PowerSaver" } }],
  Schedule: schedule,
  Policy: policy,
});

/** A Once schedule this many seconds from now, in UTC. */
function onceIn(seconds: number): Record<string, unknown> {
  const at = new Date(Date.now() + seconds * 1000);
  return { Type: "Once", Date: at.toISOString().slice(0, 10), Time: at.toISOString().slice(11, 19), TimeZone: "UTC" };
}

if (unavailable !== null) {
  t.plan(0, unavailable);
} else {
  t.test("three gateways on one database: a due job runs once, every BMC is patched once, the work is spread, and 200 triggers respect Skip", async (t) => {
    const pg = await testPostgres();
    const fleet = await startSimulatedBmcs(FLEET, { latencyMs: 50 });
    t.teardown(() => fleet.close());
    const instances = await startInstances(3, pg.url, { WORKER_POOL_SIZE: POOL });
    t.teardown(() => killAll(instances));
    const [a, b, c] = instances as [(typeof instances)[0], (typeof instances)[0], (typeof instances)[0]];

    await registerFleet(a.url, fleet);
    await machinesSeenEverywhere(instances, FLEET);
    const machines = fleet.bmcs.map((bmc) => bmc.id);

    const created = await call(b.url, "POST", "/MultiFish/v1/JobService/Jobs", { body: patch(machines, onceIn(6)) });
    t.equal(created.status, 201, "the job is created through a second instance");
    const jobId = String(created.json["Id"]);
    await until(async () => (await call(c.url, "GET", `/MultiFish/v1/JobService/Jobs/${jobId}`)).status === 200, {
      what: "the job to be known everywhere",
      intervalMs: 100,
    });

    const ended = await until(
      async () => {
        const runs = await executionsOf(c.url, jobId);
        return runs.length > 0 && runs.every((r) => r.State === "Completed") ? runs : undefined;
      },
      { what: "the due run to complete, seen from another instance", timeoutMs: 120_000, intervalMs: 250 },
    );
    t.equal(ended.length, 1, "one execution for the occurrence");
    for (const i of instances) t.same((await executionsOf(i.url, jobId)).map((r) => r.Id), [ended[0]!.Id], "every instance lists that one run");
    t.same(
      fleet.bmcs.filter((bmc) => bmc.stats.patchesApplied !== 1).map((bmc) => `${bmc.id}: ${bmc.stats.patchesApplied}`),
      [],
      "every BMC patched exactly once",
    );
    const claims = await query<{ n: string }>(pg.url, "SELECT count(*) AS n FROM shoal.occurrences WHERE job_id = $1", [jobId]);
    t.equal(Number(claims[0]!.n), 1, "one claim on the occurrence");

    // 200 triggers of a Skip job, spread over the three instances, while its run is held at the BMCs.
    const skip = await call(a.url, "POST", "/MultiFish/v1/JobService/Jobs", {
      body: { ...patch(machines.slice(0, 6), { Type: "Manual" }, { Overlap: "Skip" }), Payload: [{ ManagerID: "bmc", Payload: { Profile: "Balanced" } }] },
    });
    t.equal(skip.status, 201, "the Skip job is created");
    const skipId = String(skip.json["Id"]);
    await until(async () => {
      for (const i of instances) if ((await call(i.url, "GET", `/MultiFish/v1/JobService/Jobs/${skipId}`)).status !== 200) return false;
      return true;
    }, { what: "the Skip job to be known everywhere", intervalMs: 100 });
    const release = fleet.holdPatches();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, n) => call(instances[n % 3]!.url, "POST", `/MultiFish/v1/JobService/Jobs/${skipId}/Actions/Trigger`, { body: {} })),
    );
    release();
    const statuses = answers.map((r) => r.status);
    t.equal(statuses.filter((s) => s === 202).length, 1, "one trigger started a run");
    t.equal(statuses.filter((s) => s === 409).length, 199, "the others were refused: the job was running");
    await until(
      async () => {
        const runs = await executionsOf(b.url, skipId);
        return runs.length === 1 && runs[0]!.State === "Completed";
      },
      { what: "the one triggered run to complete", timeoutMs: 120_000, intervalMs: 250 },
    );

    const done = (await Promise.all(instances.map((i) => stopInstance(i)))).map((left) => left.tasksDone);
    t.equal(done.reduce((x, y) => x + y, 0), FLEET + 6, "each task was done once");
    t.ok(done.every((n) => n > 0), `every instance did a share of the tasks (${done.join(", ")})`);
  });

  for (const killed of ["an instance working on the run", "the instance driving the run"] as const) {
    t.test(`kill -9 of ${killed} mid-run: the others take over its machines, the run completes, every BMC is patched once`, async (t) => {
      const pg = await testPostgres();
      const fleet = await startSimulatedBmcs(FLEET, { latencyMs: 500 });
      t.teardown(() => fleet.close());
      // The shortest takeover an operator can set, so the test waits 10 s for it rather than 30.
      const instances = await startInstances(3, pg.url, { WORKER_POOL_SIZE: POOL, CLUSTER_TAKEOVER: "10" });
      t.teardown(() => killAll(instances));
      const [driver, worker, watcher] = instances as [(typeof instances)[0], (typeof instances)[0], (typeof instances)[0]];
      await registerFleet(driver.url, fleet);
      await machinesSeenEverywhere(instances, FLEET);

      const created = await call(driver.url, "POST", "/MultiFish/v1/JobService/Jobs", { body: patch(fleet.bmcs.map((bmc) => bmc.id), { Type: "Manual" }) });
      const jobId = String(created.json["Id"]);
      // PATCHes are held until the takeover has been checked, so the run cannot end before it.
      const release = fleet.holdPatches();
      t.teardown(release);
      const triggered = await call(driver.url, "POST", `/MultiFish/v1/JobService/Jobs/${jobId}/Actions/Trigger`, { body: {} });
      t.equal(triggered.status, 202, "the run starts");
      const executionId = String(triggered.json["Id"]);

      // Caught while it holds machines: requests of its are out.
      const victim = killed === "the instance driving the run" ? driver : worker;
      await until(
        async () => Number((await query<{ n: string }>(pg.url, "SELECT count(*) AS n FROM shoal.target_leases WHERE instance = $1", [victim.id]))[0]!.n) > 0,
        { what: "the victim to be working on machines", timeoutMs: 60_000, intervalMs: 20 },
      );
      victim.child.kill("SIGKILL");
      await victim.exited;
      if (victim === driver) {
        await until(
          async () =>
            (await query<{ instance: string }>(pg.url, "SELECT instance FROM shoal.run_drivers WHERE execution_id = $1", [executionId]))[0]?.instance !== driver.id,
          { what: "a survivor to adopt the run", timeoutMs: 120_000, intervalMs: 250 },
        );
      }
      const again = await call(watcher.url, "POST", `/MultiFish/v1/JobService/Jobs/${jobId}/Actions/Trigger`, { body: {} });
      t.equal(again.status, 409, "the job counts as running (overlap Skip) while its run is taken over");
      release();

      const path = `/MultiFish/v1/JobService/Jobs/${jobId}/Executions/${executionId}`;
      const final = await until(
        async () => {
          const run = await call(watcher.url, "GET", path);
          return run.json["State"] === "Completed" ? run.json : undefined;
        },
        { what: "the run to complete after the kill (takeover bound 10 s)", timeoutMs: 180_000, intervalMs: 500 },
      );
      t.equal(final["Health"], "OK", "the run is healthy");
      t.match(final["Summary"], { Machines: FLEET, Succeeded: FLEET, Failed: 0 }, "every machine succeeded");
      t.same(
        fleet.bmcs.filter((bmc) => bmc.stats.patchesApplied !== 1).map((bmc) => `${bmc.id}: ${bmc.stats.patchesApplied}`),
        [],
        "every BMC patched exactly once",
      );
      const retried = await query<{ n: string }>(
        pg.url,
        "SELECT count(*) AS n FROM shoal_queue.job WHERE name = 'shoal-task' AND state = 'completed' AND retry_count > 0",
      );
      t.ok(Number(retried[0]!.n) > 0, `${retried[0]!.n} tasks the victim held were done again by the others`);
      const survivors = instances.filter((i) => i !== victim);
      const left = await Promise.all(survivors.map((i) => stopInstance(i)));
      t.ok(left.every((l) => l.tasksDone > 0), `both survivors worked (${left.map((l) => l.tasksDone).join(", ")})`);
      const adopted = left.reduce((n, l) => n + l.runsAdopted, 0);
      t.equal(adopted, victim === driver ? 1 : 0, victim === driver ? "one survivor drove the run on" : "the run stayed with its driver");
    });
  }
}
