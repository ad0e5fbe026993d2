import pLimit, { type LimitFunction } from 'p-limit';
import { Agent } from 'undici';
import type { Provider } from '../../src-shared/domain';
import { CircuitBreaker, type BreakerOptions, RateLimiter } from './limits';
import { RetryBudget } from './retry';

/** Everything the engine keeps per provider for the life of the process. */
export class ProviderRuntime {
  readonly limit: LimitFunction;
  readonly rate: RateLimiter;
  readonly retryBudget = new RetryBudget();
  readonly dispatcher: Agent;
  private readonly breakers = new Map<string, CircuitBreaker>();

  constructor(
    readonly provider: Provider,
    private readonly breakerOptions: BreakerOptions,
  ) {
    this.limit = pLimit(provider.maxConcurrency);
    this.rate = new RateLimiter(provider.rpm, provider.tpm);
    this.dispatcher = new Agent({
      connections: provider.maxConcurrency,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  /** One breaker per (provider, model). */
  breaker(modelId: string): CircuitBreaker {
    let breaker = this.breakers.get(modelId);
    if (!breaker) {
      breaker = new CircuitBreaker(this.breakerOptions);
      this.breakers.set(modelId, breaker);
    }
    return breaker;
  }

  /** Forgets a model's breaker: its next call starts closed (a model enabled again after a fix). */
  resetBreaker(modelId: string): void {
    this.breakers.delete(modelId);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
