/**
 * In-process stand-in for a crash: tests that reopen a state file without
 * closing the store that had it open play "that process died". A dead
 * process leaves its lock file behind naming a pid that no longer runs; this
 * rewrites the lock so, exactly as after a real crash, the next open finds a
 * stale lock and takes it over.
 */
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";

/** A pid that ran and has ended (a child already waited for). */
export function deadPid(): number {
  const child = spawnSync("true");
  if (child.pid === undefined) throw new Error("could not start a child process");
  return child.pid;
}

export function playProcessDeath(statePath: string): void {
  const lock = `${statePath}.lock`;
  if (!existsSync(lock)) return;
  writeFileSync(lock, JSON.stringify({ pid: deadPid(), host: hostname(), startedAt: new Date().toISOString(), nonce: "dead" }) + "\n");
}
