import type { BucketSpec, TakeResult } from './types.ts';

export interface BucketState {
  tokens: number;
  at: number;
}

/** The pure token-bucket step both stores use (the Redis script mirrors it). */
export function takeFromBucket(
  state: BucketState | undefined,
  spec: BucketSpec,
  n: number,
  nowMs: number,
): { state: BucketState; result: TakeResult } {
  const prev = state ?? { tokens: spec.capacity, at: nowMs };
  const elapsed = Math.max(0, nowMs - prev.at);
  const tokens = Math.min(spec.capacity, prev.tokens + (elapsed / 1000) * spec.refillPerSecond);
  if (tokens >= n) {
    return {
      state: { tokens: tokens - n, at: nowMs },
      result: { allowed: true, retryAfterMs: 0, remaining: Math.floor(tokens - n) },
    };
  }
  const missing = n - tokens;
  const retryAfterMs =
    spec.refillPerSecond > 0 ? Math.ceil((missing / spec.refillPerSecond) * 1000) : Infinity;
  return {
    state: { tokens, at: nowMs },
    result: { allowed: false, retryAfterMs, remaining: Math.floor(tokens) },
  };
}

/** Time until a bucket refills completely: how long its state must be kept. */
export function bucketTtlMs(spec: BucketSpec): number {
  return spec.refillPerSecond > 0
    ? Math.ceil((spec.capacity / spec.refillPerSecond) * 1000) + 1000
    : 86_400_000;
}
