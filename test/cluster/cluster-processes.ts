/**
 * Several gateway processes (`node lib/gateway/main.js`) in cluster mode on
 * one test database, each with its own folders and a random port, and the
 * calls the cluster tests make on them.
 */
import { join } from "node:path";
import pg from "pg";
import { call } from "../gateway/helpers/http.js";
import { startMain, type MainProcess } from "../gateway/helpers/main-process.js";
import { tempDir } from "../helpers/temp-dir.js";
import { until } from "../helpers/until.js";
import type { SimulatedFleet } from "../sim/fleet.js";

export interface Instance extends MainProcess {
  url: string;
  /** The id it joined the cluster with (as the database's claim tables name it). */
  id: string;
}

export async function startInstances(count: number, databaseUrl: string, env: Record<string, string> = {}): Promise<Instance[]> {
  const started = await Promise.all(
    Array.from({ length: count }, async () => {
      const dir = tempDir("shoal-cluster-");
      const main = await startMain({
        DATABASE_URL: databaseUrl,
        CLUSTER: "true",
        DATA_DIR: join(dir, "data"),
        LOGS_DIR: join(dir, "logs"),
        LOG_LEVEL: "info",
        ...env,
      });
      const id = /"cluster: joined".*?"instance":"([^"]+)"/.exec(main.output())?.[1];
      if (id === undefined) throw new Error(`no cluster line: ${main.output()}`);
      return { ...main, id };
    }),
  );
  return started;
}

export function killAll(instances: Instance[]): void {
  for (const i of instances) if (i.child.exitCode === null) i.child.kill("SIGKILL");
}

/** Registers the fleet's machines through one instance. */
export async function registerFleet(url: string, fleet: SimulatedFleet): Promise<void> {
  for (const m of fleet.machines()) {
    const created = await call(url, "POST", "/MultiFish/v1/Platform", {
      body: { Id: m.id, Type: "Extend", Endpoint: m.endpoint, Username: m.username, Password: m.password },
    });
    if (created.status !== 201) throw new Error(`could not register ${m.id}: ${created.status} ${JSON.stringify(created.json)}`);
  }
}

/** Every instance lists `count` machines. */
export async function machinesSeenEverywhere(instances: Instance[], count: number): Promise<void> {
  await until(
    async () => {
      for (const i of instances) {
        if ((await call(i.url, "GET", "/MultiFish/v1/Platform")).json["Members@odata.count"] !== count) return false;
      }
      return true;
    },
    { what: `every instance to list ${count} machines`, timeoutMs: 60_000, intervalMs: 200 },
  );
}

export interface ExecutionView {
  Id: string;
  State: string;
}

/** The job's executions as one instance lists them. */
export async function executionsOf(url: string, jobId: string): Promise<ExecutionView[]> {
  const listed = await call(url, "GET", `/MultiFish/v1/JobService/Jobs/${jobId}/Executions?$expand=*`);
  const members = (listed.json["Members"] ?? []) as Record<string, unknown>[];
  return Promise.all(
    members.map(async (m) => {
      if (typeof m["State"] === "string") return { Id: String(m["Id"]), State: m["State"] };
      const one = await call(url, "GET", String(m["@odata.id"]).replace(/^.*?\/MultiFish/, "/MultiFish"));
      return { Id: String(one.json["Id"]), State: String(one.json["State"]) };
    }),
  );
}

/** Runs SQL on the test database (the tests look at claims and the task queue). */
export async function query<T extends pg.QueryResultRow>(databaseUrl: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** SIGTERM, and what the instance says it did before leaving: tasks worked, runs of dead instances adopted. */
export async function stopInstance(instance: Instance): Promise<{ tasksDone: number; runsAdopted: number }> {
  instance.child.kill("SIGTERM");
  const code = await instance.exited;
  if (code !== 0) throw new Error(`instance exited ${code}: ${instance.output()}`);
  const left = /"cluster: left".*?"tasksDone":(\d+),"runsAdopted":(\d+)/.exec(instance.output());
  if (left === null) throw new Error(`no leaving line: ${instance.output()}`);
  return { tasksDone: Number(left[1]), runsAdopted: Number(left[2]) };
}
