import { getEventListeners } from "node:events";
import t from "tap";
import { onAbort } from "../../../gateway/bmc/shared-abort.js";

t.test("a signal watched for any number of requests gets one listener, which aborts each with the signal's reason", async (t) => {
  const controller = new AbortController();
  const seen: unknown[] = [];
  for (let i = 0; i < 50; i++) onAbort(controller.signal, (reason) => seen.push(reason));
  t.equal(getEventListeners(controller.signal, "abort").length, 1);
  const reason = new Error("stop");
  controller.abort(reason);
  t.equal(seen.length, 50);
  t.ok(seen.every((r) => r === reason));
});

t.test("a request that stopped watching is not aborted; the others still are", async (t) => {
  const controller = new AbortController();
  let first = 0;
  let second = 0;
  const stop = onAbort(controller.signal, () => first++);
  onAbort(controller.signal, () => second++);
  stop();
  controller.abort();
  t.equal(first, 0);
  t.equal(second, 1);
});

t.test("a signal that has already fired aborts at once and gets no listener", async (t) => {
  const signal = AbortSignal.abort(new Error("gone"));
  let reason: unknown;
  onAbort(signal, (r) => (reason = r));
  t.match(reason, { message: "gone" });
  t.equal(getEventListeners(signal, "abort").length, 0);
});

t.test("once fired, a signal's watchers are let go: a later watcher is aborted at once", async (t) => {
  const controller = new AbortController();
  let calls = 0;
  onAbort(controller.signal, () => calls++);
  controller.abort();
  controller.abort();
  t.equal(calls, 1, "each watcher is aborted once");
  onAbort(controller.signal, () => calls++);
  t.equal(calls, 2);
});
