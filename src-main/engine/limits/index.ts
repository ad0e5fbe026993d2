export { type BreakerOptions, type BreakerState, CircuitBreaker, DEFAULT_BREAKER_OPTIONS } from './circuit-breaker';
export { RateLimiter } from './rate-limiter';
