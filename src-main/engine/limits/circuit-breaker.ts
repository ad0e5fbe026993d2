export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerOptions {
  /** Consecutive model failures that open the circuit. */
  failureThreshold: number;
  /** How long it stays open before one probe is let through. */
  cooldownMs: number;
}

export const DEFAULT_BREAKER_OPTIONS: BreakerOptions = { failureThreshold: 5, cooldownMs: 30_000 };

/**
 * A circuit breaker for one (provider, model). Opens after `failureThreshold` consecutive
 * failures; after the cooldown exactly one probe passes (half-open) while every other call is
 * refused; the probe's success closes it, its failure opens it again. Throttling (429) is not
 * a failure here: callers report only failures that say the model is unhealthy.
 */
export class CircuitBreaker {
  private state: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probeInFlight = false;

  constructor(
    private readonly options: BreakerOptions = DEFAULT_BREAKER_OPTIONS,
    private readonly now: () => number = Date.now,
  ) {}

  /** 'pass' for a normal call, 'probe' for the single half-open probe, 'refuse' when open. */
  admit(): 'pass' | 'probe' | 'refuse' {
    if (this.state === 'closed') return 'pass';
    if (this.state === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) {
      this.state = 'half-open';
    }
    if (this.state === 'half-open' && !this.probeInFlight) {
      this.probeInFlight = true;
      return 'probe';
    }
    return 'refuse';
  }

  recordSuccess(): void {
    this.state = 'closed';
    this.failures = 0;
    this.probeInFlight = false;
  }

  recordFailure(): void {
    this.probeInFlight = false;
    if (this.state === 'half-open') {
      this.trip();
      return;
    }
    this.failures++;
    if (this.state === 'closed' && this.failures >= this.options.failureThreshold) this.trip();
  }

  /** A probe that ended without a verdict (throttled, cancelled) frees the probe slot. */
  recordNeutral(): void {
    this.probeInFlight = false;
  }

  get current(): BreakerState {
    if (this.state === 'open' && this.now() - this.openedAt >= this.options.cooldownMs) return 'half-open';
    return this.state;
  }

  private trip(): void {
    this.state = 'open';
    this.openedAt = this.now();
    this.failures = 0;
  }
}
