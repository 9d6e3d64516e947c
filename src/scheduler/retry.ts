import type { RetryPolicy } from "../jobs/types.js";

/**
 * How long to wait before the attempt after `attempt` (1-based): exponential
 * growth from initialDelayMs by `factor`, capped at maxDelayMs. Jitter takes a
 * random fraction off the delay (never adds to it), so the cap still holds and
 * many targets failing together do not retry in lockstep. A server's own
 * "retry after" hint is honoured as a floor, still under the cap.
 */
export function backoffDelay(
  policy: RetryPolicy,
  attempt: number,
  options: { random?: () => number; retryAfterMs?: number } = {},
): number {
  const exponential = policy.initialDelayMs * policy.factor ** Math.max(0, attempt - 1);
  let delay = Math.min(exponential, policy.maxDelayMs);
  const jitter = policy.jitter ?? 0;
  if (jitter > 0) delay -= delay * jitter * (options.random ?? Math.random)();
  if (options.retryAfterMs !== undefined && options.retryAfterMs > delay) delay = options.retryAfterMs;
  return Math.round(Math.min(delay, policy.maxDelayMs));
}

/** Whether another attempt is allowed after `attempt` failed with a transient error. */
export function mayRetry(policy: RetryPolicy | undefined, attempt: number): policy is RetryPolicy {
  return policy !== undefined && attempt < policy.maxAttempts;
}
