/**
 * Token buckets keyed by client: each holds up to `burst` tokens, refills at
 * `rate` per second, and a request takes one. Full buckets are forgotten, so
 * memory follows the clients that are currently busy, not all ever seen.
 */
export interface TokenBucketOptions {
  rate: number;
  burst: number;
  /** Milliseconds; injectable so tests do not wait. */
  now?: () => number;
  /** Above this many tracked clients, full buckets are swept. */
  sweepAbove?: number;
}

export interface TakeResult {
  allowed: boolean;
  /** Whole seconds until a token is available again; 0 when allowed. */
  retryAfterSeconds: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBuckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly sweepAbove: number;

  constructor(private readonly options: TokenBucketOptions) {
    this.now = options.now ?? Date.now;
    this.sweepAbove = options.sweepAbove ?? 10_000;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): TakeResult {
    const now = this.now();
    // Sweep before touching this client's bucket, so the request being counted is never swept away.
    if (this.buckets.size >= this.sweepAbove) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.options.burst, at: now };
    bucket.tokens = Math.min(this.options.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.options.rate);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.rate)) };
  }

  private sweep(now: number): void {
    for (const [key, bucket] of this.buckets) {
      const tokens = bucket.tokens + ((now - bucket.at) / 1000) * this.options.rate;
      if (tokens >= this.options.burst) this.buckets.delete(key);
    }
  }
}
