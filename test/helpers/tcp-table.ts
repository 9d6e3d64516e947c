/**
 * The kernel's own view of TCP sockets on a 127.0.0.1 port (Linux's
 * /proc/net/tcp): lets a test see that a port is bound, listened on, or left in
 * TIME_WAIT, which no Node API shows.
 */
import { readFileSync } from "node:fs";

const STATES: Record<string, string> = { "01": "ESTABLISHED", "06": "TIME_WAIT", "0A": "LISTEN" };

/** The states of the sockets whose local end is 127.0.0.1:`port`, e.g. ["LISTEN"]. */
export function localSocketStates(port: number): string[] {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  return readFileSync("/proc/net/tcp", "utf8")
    .split("\n")
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .filter((cols) => cols[1] === local)
    .map((cols) => STATES[cols[3] ?? ""] ?? `state ${cols[3]}`);
}
