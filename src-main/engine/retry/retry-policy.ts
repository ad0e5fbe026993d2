import { type CallError, isRetryable } from '../../../src-shared/errors';

export interface RetryPolicy {
  /** Attempts on one model, the first included. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A provider asking for a longer wait than this sends the call to its fallback instead. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
  maxRetryAfterMs: 10_000,
};

export type RetryDecision =
  | { retry: true; delayMs: number; reason: string }
  | { retry: false; reason: 'not_retryable' | 'attempts_exhausted' | 'retry_after_over_cap' | 'retry_budget_exhausted'; detail: string };

/** Capped exponential backoff with full jitter: a uniform wait in [0, min(cap, base * 2^(n-1))]. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Whether the attempt that just failed (`attempt`, 1-based) is retried on the same model, and
 * after how long. A Retry-After within the cap is honoured exactly (never shortened by jitter).
 */
export function decideRetry(
  error: CallError,
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  budget: { tryWithdraw(): boolean },
  random: () => number,
): RetryDecision {
  if (!isRetryable(error.class)) {
    return { retry: false, reason: 'not_retryable', detail: `${error.class} is not retried on the same model` };
  }
  if (attempt >= policy.maxAttempts) {
    return { retry: false, reason: 'attempts_exhausted', detail: `${attempt} of ${policy.maxAttempts} attempts used` };
  }
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
    return {
      retry: false,
      reason: 'retry_after_over_cap',
      detail: `provider asked to wait ${Math.round(retryAfterMs)} ms, over the ${policy.maxRetryAfterMs} ms cap`,
    };
  }
  if (!budget.tryWithdraw()) {
    return { retry: false, reason: 'retry_budget_exhausted', detail: 'the provider retry budget is spent' };
  }
  if (retryAfterMs !== undefined) {
    return { retry: true, delayMs: retryAfterMs, reason: `Retry-After ${Math.round(retryAfterMs)} ms` };
  }
  return { retry: true, delayMs: backoffDelay(attempt, policy, random), reason: 'backoff' };
}
