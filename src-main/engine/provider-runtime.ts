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
  /** Breakers by model id, then by the config version the calls ran (see `breaker`). */
  private readonly breakers = new Map<string, Map<number, CircuitBreaker>>();

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

  /**
   * One breaker per (provider, model) and current config version: a new current config (a save,
   * a rollback, an import) starts closed, since the failures that opened the old one's circuit were
   * that config's, and the canary or gate that tests the new one must be sent every fixture. A run
   * still pinned to the old version keeps the old breaker.
   */
  breaker(modelId: string, configVersion: number): CircuitBreaker {
    let byVersion = this.breakers.get(modelId);
    if (!byVersion) {
      byVersion = new Map();
      this.breakers.set(modelId, byVersion);
    }
    let breaker = byVersion.get(configVersion);
    if (!breaker) {
      breaker = new CircuitBreaker(this.breakerOptions);
      byVersion.set(configVersion, breaker);
    }
    return breaker;
  }

  /** Forgets a model's breakers: its next call starts closed (a model enabled again after a fix). */
  resetBreaker(modelId: string): void {
    this.breakers.delete(modelId);
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
