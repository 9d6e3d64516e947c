/**
 * How tests start a Node child process (a gateway, the `shoal` binary, a
 * crash child): `spawn(NODE, nodeArgs([file, ...args]), options)`.
 *
 * tap hooks child_process in every test file and puts its coverage loader
 * (@tapjs/processinfo) into the NODE_OPTIONS of each process the test starts.
 * The suite collects no coverage, and on Node 20 that loader runs a module-hooks
 * thread that costs 0.6-1.1 s of CPU per process before the child does any
 * work; with dozens of children that was minutes of a busy CI machine. env(1)
 * drops NODE_OPTIONS after tap's hook has set it, then execs node, so the child
 * keeps the pid the test sees (signals and kill -9 reach node itself).
 */
export const NODE = "/usr/bin/env";

export function nodeArgs(args: readonly string[]): string[] {
  return ["-u", "NODE_OPTIONS", process.execPath, ...args];
}
