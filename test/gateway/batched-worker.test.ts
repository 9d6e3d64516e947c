import t from "tap";
import { BatchedWorker } from "../../gateway/batched-worker.js";

type Op = { id: number; n: number } | { die: true };
interface Answer {
  id: number;
  value: number;
  batchSize: number;
}

function doubler() {
  return new BatchedWorker<Op, Answer, Answer>({
    url: new URL("./batched-worker-fixture.js", import.meta.url),
    name: "the doubler",
    outcome: (a) => (a.value < 0 ? { error: new Error("negative") } : { value: a }),
    lost: (error) => new Error(`lost: ${error.message}`),
  });
}

t.test("calls made in one turn of the event loop go to the worker as one batch and each gets its own answer", async (t) => {
  const w = doubler();
  const answers = await Promise.all([1, 2, 3].map((n) => w.call((id) => ({ id, n })).done));
  t.same(answers.map((a) => a.value), [2, 4, 6]);
  t.same(answers.map((a) => a.batchSize), [3, 3, 3], "one message for the three");
  t.equal((await w.call((id) => ({ id, n: -1 })).done.catch((e: Error) => e.message)), "negative", "an answer can reject its call");
});

t.test("a worker that dies fails the calls it had, and the next call starts a new one", async (t) => {
  const w = doubler();
  t.equal((await w.call((id) => ({ id, n: 5 })).done).value, 10);
  const lost = w.call((id) => ({ id, n: 1 })).done.catch((e: Error) => e.message);
  w.post({ die: true });
  t.match(await lost, /^lost: the doubler stopped \(exit 7\)$/);
  t.equal((await w.call((id) => ({ id, n: 21 })).done).value, 42, "a new worker answers");
});

t.test("settle rejects one pending call at once; its late answer is dropped", async (t) => {
  const w = doubler();
  const { id, done } = w.call((id) => ({ id, n: 4 }));
  w.settle(id, new Error("cancelled"));
  t.equal(await done.catch((e: Error) => e.message), "cancelled");
  t.equal((await w.call((id) => ({ id, n: 8 })).done).value, 16, "the worker goes on");
});
