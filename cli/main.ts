#!/usr/bin/env node
/** The `shoal` executable (package.json "bin"). Everything else is in run.ts. */
import { processIo } from "./io.js";
import { runCli } from "./run.js";

// `shoal results | head` closes the pipe early; that is not an error worth a stack trace.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(process.exitCode ?? 0);
  throw error;
});

process.exitCode = await runCli(process.argv.slice(2), processIo());
