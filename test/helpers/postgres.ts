/**
 * A throwaway PostgreSQL server for tests: initdb into a temporary folder,
 * started on a free loopback port, stopped and removed when the test process
 * exits. Uses Debian's server binaries (package postgresql, which `.ci/run`
 * installs when absent). PostgreSQL refuses to run as root, so under root the
 * server runs as the `postgres` user the package creates.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

export interface TestPostgres {
  /** Connection string of a fresh database on the server. */
  url: string;
  /** Makes another empty database on the same server and returns its connection string. */
  newDatabase(): string;
}

let server: Promise<{ port: number; psql: (sql: string) => void }> | null = null;
let databases = 0;

/** The directory holding initdb and pg_ctl, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? join(root, versions[0]!, "bin") : null;
}

/**
 * Why PostgreSQL tests cannot run here, or null when they can. On CI they
 * must: there a missing server is a failure, not a skip.
 */
export function postgresUnavailable(): string | null {
  if (postgresBinDir() !== null) return null;
  if (process.env.CI) throw new Error("PostgreSQL server binaries are missing on CI: .ci/run should have installed the postgresql package");
  return "PostgreSQL server binaries not installed (apt-get install postgresql); .ci/run installs them";
}

/** Starts the server once per test process and hands out a fresh database per call. */
export async function testPostgres(): Promise<TestPostgres> {
  server ??= start();
  const { port, psql } = await server;
  const newDatabase = (): string => {
    const name = `shoal_test_${process.pid}_${++databases}`;
    psql(`CREATE DATABASE ${name}`);
    return `postgres://shoal@127.0.0.1:${port}/${name}`;
  };
  return { url: newDatabase(), newDatabase };
}

async function start(): Promise<{ port: number; psql: (sql: string) => void }> {
  const bin = postgresBinDir();
  if (bin === null) throw new Error("PostgreSQL is not installed");
  const dir = mkdtempSync(join(tmpdir(), "shoal-pg-"));
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (command: string, args: string[]): string => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, command), ...args]] : [join(bin, command), args];
    return execFileSync(file, argv, { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 }).toString();
  };
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-U", "shoal", "-A", "trust", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const port = await freePort();
  const settings = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
  run("pg_ctl", ["-D", data, "-l", join(dir, "server.log"), "-o", settings, "-w", "-t", "120", "start"]);
  process.once("exit", () => {
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // Already gone: nothing to stop.
    }
    rmSync(dir, { recursive: true, force: true });
  });
  const psql = (sql: string): void => {
    execFileSync(join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(port), "-U", "shoal", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", sql], {
      stdio: ["ignore", "pipe", "pipe"],
    });
  };
  return { port, psql };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}
