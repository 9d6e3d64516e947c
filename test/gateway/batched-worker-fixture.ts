// A worker for batched-worker.test: answers each { id, n } with n * 2 in one message per batch,
// records how many batches came, and exits on { die: true }.
import { parentPort } from "node:worker_threads";

type Op = { id: number; n: number } | { die: true };

parentPort?.on("message", (batch: Op[]) => {
  if (batch.some((op) => "die" in op)) process.exit(7);
  parentPort?.postMessage(batch.map((op) => ("id" in op ? { id: op.id, value: op.n * 2, batchSize: batch.length } : null)).filter((a) => a !== null));
});
