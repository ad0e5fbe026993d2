import type { Logger } from 'pino';
import type { CallRecord, Provider } from '../../src-shared/domain';
import { DEFAULT_AUTO_DISABLE_AFTER } from '../../src-shared/domain';
import type { ErrorClass } from '../../src-shared/errors';
import type { BudgetLedger } from './budget';
import type { EngineInternals } from './engine-internals';
import { type BreakerOptions, DEFAULT_BREAKER_OPTIONS } from './limits';
import { itemResult } from './model-attempt-result';
import { PromptCache } from './prompt-cache';
import type { ProviderRuntime } from './provider-runtime';
import { ProviderRuntimes } from './provider-runtimes';
import { abortableSleep } from './abortable-sleep';
import { RecordWriter } from './record-writer';
import { makeRedactor } from './redact';
import { refuse } from './refuse';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
import { tryModel } from './try-model';
import type { ItemResult, RunContext, WorkItem } from './types';
import type { Walk } from './walk';

export type { Walk } from './walk';

export interface EngineStore {
  /** Inserts a record (call it inside `write`); returns its id. */
  addRecord(record: CallRecord): number;
  /**
   * Group commit: queues `work` for the next storage transaction, which runs at the end of the
   * current event-loop turn with every other write queued in that turn; resolves once committed.
   */
  write<T>(work: () => T): Promise<T>;
  /** Resolves once every write queued so far (budget reservations included) is committed. */
  flush(): Promise<void>;
  /** The model's current disabled reason, read from storage at the moment of the call. */
  disabledReason(modelId: string): string | undefined;
  recordFailure(
    modelId: string,
    errorClass: ErrorClass,
    threshold: number,
    at: string,
  ): { count: number; disabledNow: boolean; reason: string };
  recordSuccess(modelId: string, at: string): void;
}

export interface EngineOptions {
  retry: RetryPolicy;
  breaker: BreakerOptions;
  autoDisableAfter: number;
  /** Streams: the longest silence between chunks (capped by the call's timeout). */
  idleTimeoutMs: number;
  random: () => number;
  sleep: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface EngineDeps {
  store: EngineStore;
  ledger: BudgetLedger;
  /**
   * Base URL and key for a provider (simulated providers resolve to the in-process simulator);
   * `missingKey` says why a key the provider needs is not there, and the engine then sends nothing.
   */
  endpoint(provider: Provider): { baseUrl: string; apiKey: string | undefined; missingKey?: string | undefined };
  /** Every key in use, redacted by value from all that is written. */
  secrets: readonly (string | undefined)[];
  logger?: Logger | undefined;
  /**
   * Writes one attempt's log line (every field of its record); without it the logger writes it.
   * The engine host serialises the line in one step: pino's field-by-field serialisation of a
   * whole record cost more than the record's database write.
   */
  logCall?: ((record: CallRecord) => void) | undefined;
  now?: () => Date;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  retry: DEFAULT_RETRY_POLICY,
  breaker: DEFAULT_BREAKER_OPTIONS,
  autoDisableAfter: DEFAULT_AUTO_DISABLE_AFTER,
  idleTimeoutMs: 15_000,
  random: Math.random,
  sleep: abortableSleep,
};

/**
 * The provider engine: one prediction end to end (compose, check disabled and breaker, reserve
 * budget, send, retry or fall back, parse, settle, record), one attempt at a time. Failed calls
 * are results, never exceptions; every attempt is committed to storage as it ends.
 *
 * The per-model work lives in free functions over the engine's internals, made once here:
 * `tryModel` (the attempt loop), `refuse`, `fallbackAfter`, and the `RecordWriter`.
 */
export class Engine {
  private readonly internals: EngineInternals;

  constructor(deps: EngineDeps, options: Partial<EngineOptions> = {}) {
    const resolved = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    const redact = makeRedactor(deps.secrets);
    this.internals = {
      deps,
      options: resolved,
      redact,
      now: deps.now ?? (() => new Date()),
      runtimes: new ProviderRuntimes(resolved.breaker),
      prompts: new PromptCache(),
      records: new RecordWriter(deps, redact),
    };
  }

  /** Redacts `secret` from everything written from now on (a key set after the engine started). */
  addSecret(secret: string | undefined): void {
    this.internals.redact.add(secret);
  }

  /**
   * The provider's runtime (limits, breakers, connections), kept across runs while its settings
   * stay the same. Each run reads providers afresh, so the settings are compared once per
   * provider object, then remembered by identity.
   */
  runtime(provider: Provider): ProviderRuntime {
    return this.internals.runtimes.get(provider);
  }

  /** Whether a call to `provider` would start now rather than queue behind its concurrency limit. */
  hasCapacity(provider: Provider): boolean {
    const { limit } = this.runtime(provider);
    return limit.activeCount + limit.pendingCount < provider.maxConcurrency;
  }

  breakerState(provider: Provider, modelId: string, configVersion: number): string {
    return this.runtime(provider).breaker(modelId, configVersion).current;
  }

  /**
   * A model enabled again starts with a closed circuit: the failures that opened it are what
   * disabled it, and the canary that follows must test every fixture, not one probe.
   */
  resetBreaker(provider: Provider, modelId: string): void {
    this.runtime(provider).resetBreaker(modelId);
  }

  close(): Promise<void> {
    return this.internals.runtimes.close();
  }

  /** One work item: the intended model, then its fallbacks, until an answer or a refusal. */
  async execute(context: RunContext, item: WorkItem): Promise<ItemResult> {
    const engine = this.internals;
    const started = performance.now();
    const intended = item.model ?? context.models.get(item.modelId);
    if (!intended) throw new Error(`model ${item.modelId} is not pinned in run ${context.runId}`);
    const walk: Walk = { item, intended, visited: new Set([intended.id]), depth: 0, reason: null };
    const records: CallRecord[] = [];
    let costMicros = 0;
    let costUnknown = false;
    let attempts = 0;
    let current = intended;

    for (;;) {
      // An explicit test of the model itself calls it even when disabled: no need to read the state.
      const disabled =
        item.explicit && walk.depth === 0
          ? undefined
          : engine.deps.store.disabledReason(current.id);
      const result =
        disabled !== undefined
          ? await refuse(engine, context, walk, current, {
              class: 'disabled',
              message: `${current.id} is disabled: ${disabled}`,
            })
          : await tryModel(engine, context, walk, current);
      records.push(...result.records);
      attempts += result.attempts;
      costMicros += result.costMicros;
      costUnknown ||= result.costUnknown;
      const next = result.next && context.models.get(result.next.id);
      if (result.success || !result.next || !next) {
        return itemResult(
          item,
          current,
          walk.depth,
          result,
          costMicros,
          costUnknown,
          attempts,
          records,
          started,
          engine.redact,
        );
      }
      current = next;
      walk.depth = result.next.depth;
      walk.reason = result.next.reason;
    }
  }

  /** Resolves once every record and reservation so far is committed; throws a failed write. */
  async flush(): Promise<void> {
    await this.internals.deps.store.flush();
    const { writeFailure } = this.internals.records;
    if (writeFailure !== undefined) throw writeFailure;
  }
}
