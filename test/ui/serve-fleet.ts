/**
 * A gateway with the console, simulated BMCs and some history, for looking at
 * the console by hand and for the README's screenshots:
 *
 *   node lib/test/ui/serve-fleet.js [--count 16] [--port 0]
 *
 * Prints the console's URL, then serves until SIGINT/SIGTERM. Nothing leaves 127.0.0.1.
 */
import { parseArgs } from "node:util";
import { seedHistory } from "./helpers/seed.js";
import { startConsoleFleet } from "./helpers/console-fleet.js";

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { count: { type: "string", default: "16" } } });
  const f = await startConsoleFleet({ count: Number(values.count), latencyMs: 40 });
  await seedHistory(f);
  process.stdout.write(`${f.url}/\n`);
  const stop = () => void f.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
