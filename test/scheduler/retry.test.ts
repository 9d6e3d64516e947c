import t from "tap";
import { backoffDelay, mayRetry } from "../../src/scheduler/retry.js";

const policy = { maxAttempts: 6, initialDelayMs: 100, factor: 3, maxDelayMs: 2_000 };

t.test("backoff grows by the factor and is capped at maxDelayMs", async (t) => {
  t.same([1, 2, 3, 4, 5].map((a) => backoffDelay(policy, a)), [100, 300, 900, 2_000, 2_000]);
});

t.test("jitter only shortens a delay, by at most its fraction", async (t) => {
  const jittered = { ...policy, jitter: 0.5 };
  t.equal(backoffDelay(jittered, 2, { random: () => 0 }), 300);
  t.equal(backoffDelay(jittered, 2, { random: () => 0.999999 }), 150);
  t.equal(backoffDelay(jittered, 9, { random: () => 0.5 }), 1_500);
});

t.test("a server's retry-after is a floor under the cap", async (t) => {
  t.equal(backoffDelay(policy, 1, { retryAfterMs: 1_000 }), 1_000);
  t.equal(backoffDelay(policy, 1, { retryAfterMs: 60_000 }), 2_000);
});

t.test("retries stop at maxAttempts; no policy means no retry", async (t) => {
  t.ok(mayRetry(policy, 5));
  t.notOk(mayRetry(policy, 6));
  t.notOk(mayRetry(undefined, 1));
});
