export { backoffDelay, DEFAULT_RETRY_POLICY, decideRetry, type RetryDecision, type RetryPolicy } from './retry-policy';
export { RetryBudget } from './retry-budget';
