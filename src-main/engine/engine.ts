import type { Logger } from 'pino';
import type { CallRecord, Provider } from '../../src-shared/domain';
import { DEFAULT_AUTO_DISABLE_AFTER, firstTokenTimeoutMs } from '../../src-shared/domain';
import { type CallError, ERROR_CLASS_INFO, type ErrorClass } from '../../src-shared/errors';
import { costOfUsage, estimateTokens, worstCaseCost } from '../../src-shared/money';
import { parseReply } from '../../src-shared/parsing';
import { composePrompt, type PromptVariant } from '../../src-shared/prompts';
import { fillTemplate } from '../../src-shared/tasks';
import type { StoredModel } from '../store';
import type { BudgetLedger, Reservation } from './budget';
import { nextFallback, normalizeRequest } from './fallback';
import { type ChatRequestBody, sendChat } from './http';
import { type BreakerOptions, DEFAULT_BREAKER_OPTIONS } from './limits';
import { type AttemptDetails, buildCallRecord } from './call-record';
import { ProviderRuntime } from './provider-runtime';
import { abortableSleep } from './abortable-sleep';
import { makeRedactor, type Redactor } from './redact';
import { DEFAULT_RETRY_POLICY, decideRetry, type RetryPolicy } from './retry';
import type { ItemResult, RunContext, WorkItem } from './types';

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
  /** Base URL and key for a provider (simulated providers resolve to the in-process simulator). */
  endpoint(provider: Provider): { baseUrl: string; apiKey: string | undefined };
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

/** Refusals decided before sending: written as attempt 0. */
type Refusal = { class: ErrorClass; message: string };

interface ModelAttemptResult {
  success: boolean;
  value: unknown;
  error: CallError | undefined;
  costMicros: number;
  costUnknown: boolean;
  attempts: number;
  records: CallRecord[];
  /** Where the item goes next when this model failed, or undefined when it stops here. */
  next: FallbackHop | undefined;
}

interface FallbackHop {
  id: string;
  depth: number;
  reason: string;
}

/** One item's walk through its fallback chain. */
export interface Walk {
  item: WorkItem;
  intended: StoredModel;
  visited: Set<string>;
  depth: number;
  /** Why the item is on this model (null on the intended model). */
  reason: string | null;
}

/**
 * The provider engine: one prediction end to end (compose, check disabled and breaker, reserve
 * budget, send, retry or fall back, parse, settle, record), one attempt at a time. Failed calls
 * are results, never exceptions; every attempt is committed to storage as it ends.
 */
export class Engine {
  private readonly runtimes = new Map<string, ProviderRuntime>();
  private readonly options: EngineOptions;
  private readonly redact: Redactor;
  private readonly now: () => Date;

  constructor(
    private readonly deps: EngineDeps,
    options: Partial<EngineOptions> = {},
  ) {
    this.options = { ...DEFAULT_ENGINE_OPTIONS, ...options };
    this.redact = makeRedactor(deps.secrets);
    this.now = deps.now ?? (() => new Date());
  }

  /** Redacts `secret` from everything written from now on (a key set after the engine started). */
  addSecret(secret: string | undefined): void {
    this.redact.add(secret);
  }

  /**
   * The provider's runtime (limits, breakers, connections), kept across runs while its settings
   * stay the same. Each run reads providers afresh, so the settings are compared once per
   * provider object, then remembered by identity.
   */
  runtime(provider: Provider): ProviderRuntime {
    const known = this.runtimeByObject.get(provider);
    if (known && this.runtimes.get(provider.id) === known) return known;
    let runtime = this.runtimes.get(provider.id);
    if (!runtime || JSON.stringify(runtime.provider) !== JSON.stringify(provider)) {
      // A replaced runtime's connections close in the background; a failure there changes nothing.
      runtime?.close().catch(() => undefined);
      runtime = new ProviderRuntime(provider, this.options.breaker);
      this.runtimes.set(provider.id, runtime);
    }
    this.runtimeByObject.set(provider, runtime);
    return runtime;
  }

  private readonly runtimeByObject = new WeakMap<Provider, ProviderRuntime>();

  /** Whether a call to `provider` would start now rather than queue behind its concurrency limit. */
  hasCapacity(provider: Provider): boolean {
    const { limit } = this.runtime(provider);
    return limit.activeCount + limit.pendingCount < provider.maxConcurrency;
  }

  breakerState(provider: Provider, modelId: string): string {
    return this.runtime(provider).breaker(modelId).current;
  }

  async close(): Promise<void> {
    await Promise.all([...this.runtimes.values()].map((runtime) => runtime.close()));
    this.runtimes.clear();
  }

  /** One work item: the intended model, then its fallbacks, until an answer or a refusal. */
  async execute(context: RunContext, item: WorkItem): Promise<ItemResult> {
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
        item.explicit && walk.depth === 0 ? undefined : this.deps.store.disabledReason(current.id);
      const result =
        disabled !== undefined
          ? await this.refuse(context, walk, current, {
              class: 'disabled',
              message: `${current.id} is disabled: ${disabled}`,
            })
          : await this.tryModel(context, walk, current);
      records.push(...result.records);
      attempts += result.attempts;
      costMicros += result.costMicros;
      costUnknown ||= result.costUnknown;
      const next = result.next && context.models.get(result.next.id);
      if (result.success || !result.next || !next) {
        return this.itemResult(
          item,
          current,
          walk.depth,
          result,
          costMicros,
          costUnknown,
          attempts,
          records,
          started,
        );
      }
      current = next;
      walk.depth = result.next.depth;
      walk.reason = result.next.reason;
    }
  }

  private itemResult(
    item: WorkItem,
    actual: StoredModel,
    depth: number,
    result: ModelAttemptResult,
    costMicros: number,
    costUnknown: boolean,
    attempts: number,
    records: CallRecord[],
    started: number,
  ): ItemResult {
    const error = result.success
      ? undefined
      : (result.error ?? { class: 'server_error', message: 'unknown failure' });
    return {
      key: item.key,
      intendedModel: item.modelId,
      actualModel: actual.id,
      success: result.success,
      depth,
      value: result.value,
      errorClass: error?.class ?? null,
      errorMessage: error ? this.redact(error.message) : null,
      costMicros: costUnknown ? undefined : costMicros,
      costUnknown,
      latencyMs: performance.now() - started,
      attempts,
      records,
    };
  }

  /**
   * The composed prompt for one item. The system part depends only on the task, the variant and
   * the model's override, so it is composed (and validated) once per run and model; the user part
   * depends only on the fixtures, so it is filled once per run and fixture group.
   */
  private compose(
    context: RunContext,
    model: StoredModel,
    variant: PromptVariant,
    item: WorkItem,
  ): { system: string; user: string } {
    let cache = this.systemPrompts.get(context);
    if (!cache) {
      cache = { system: new Map(), user: new Map() };
      this.systemPrompts.set(context, cache);
    }
    const fixtures = item.fixtures.length === 1 ? item.fixtures[0]!.id : item.fixtures.map((fixture) => fixture.id).join('\u0000');
    let user = cache.user.get(fixtures);
    if (user === undefined) {
      user = fillTemplate(context.task, item.fixtures).trim();
      cache.user.set(fixtures, user);
    }
    const key = `${model.id}\u0000${variant.name}\u0000${variant.version}\u0000${model.config.promptOverride ?? ''}`;
    const cached = cache.system.get(key);
    if (cached !== undefined) return { system: cached, user };
    const composed = composePrompt({
      task: context.task,
      variant,
      override: { modelId: model.id, text: model.config.promptOverride },
      fixtures: item.fixtures,
      componentVersions: context.componentVersions,
    });
    cache.system.set(key, composed.system);
    return composed;
  }

  private readonly systemPrompts = new WeakMap<
    RunContext,
    { system: Map<string, string>; user: Map<string, string> }
  >();

  /** Decides where a failed model hands the item next, or why its configured fallback is not used. */
  private fallbackAfter(
    context: RunContext,
    walk: Walk,
    current: StoredModel,
    error: CallError,
  ): { next: FallbackHop | undefined; notUsed: string | undefined } {
    if (error.class === 'budget_exceeded' || error.class === 'cancelled')
      return { next: undefined, notUsed: undefined };
    walk.visited.add(current.id);
    const candidate = (model: StoredModel) => ({
      id: model.id,
      pricing: model.pricing,
      fallback: model.config.fallback,
    });
    const step = nextFallback(
      candidate(walk.intended),
      current.id,
      walk.depth,
      walk.visited,
      `${current.id}: ${error.class}`,
      {
        lookup: (id) => {
          const model = context.models.get(id);
          return model ? candidate(model) : undefined;
        },
        isDisabled: (id) => this.deps.store.disabledReason(id),
        isCircuitOpen: (id) => {
          const model = context.models.get(id);
          const provider = model && context.providers.get(model.provider);
          return provider ? this.runtime(provider).breaker(id).current === 'open' : false;
        },
        costCeiling: context.costCeiling,
      },
    );
    // A fallback dearer than 2x its original is allowed but said so in its record's reason.
    return step.ok
      ? {
          next: {
            id: step.id,
            depth: step.depth,
            reason: [step.reason, ...step.warnings].join('; '),
          },
          notUsed: undefined,
        }
      : { next: undefined, notUsed: step.notUsed };
  }

  private async refuse(
    context: RunContext,
    walk: Walk,
    model: StoredModel,
    refused: Refusal,
  ): Promise<ModelAttemptResult> {
    const { next, notUsed } = this.fallbackAfter(context, walk, model, refused);
    const refusal = withFallbackNotUsed(refused, notUsed);
    const record = this.record(context, walk, model, 0, {
      started: this.now().toISOString(),
      outcome: undefined,
      error: refusal,
      costMicros: null,
      estimatedCostMicros: null,
      parsed: undefined,
      final: next === undefined,
      variant: walk.item.promptVariant ?? model.config.promptVariant,
    });
    return {
      success: false,
      value: null,
      error: refusal,
      costMicros: 0,
      costUnknown: false,
      attempts: 0,
      records: [record],
      next,
    };
  }

  private async tryModel(
    context: RunContext,
    walk: Walk,
    model: StoredModel,
  ): Promise<ModelAttemptResult> {
    const { item } = walk;
    const provider = context.providers.get(model.provider);
    if (!provider) {
      return this.refuse(context, walk, model, {
        class: 'bad_request',
        message: `provider ${model.provider} is not configured`,
      });
    }
    const runtime = this.runtime(provider);
    const breaker = runtime.breaker(model.id);
    const variantName = item.promptVariant ?? model.config.promptVariant;
    const variant = context.variant(variantName);
    if (!variant) {
      return this.refuse(context, walk, model, {
        class: 'bad_request',
        message: `unknown prompt variant ${variantName}`,
      });
    }
    const prompt = this.compose(context, model, variant, item);
    const parameters = normalizeRequest(model.providerModelId, model.config, provider.limits);
    const body: ChatRequestBody = {
      model: parameters.model,
      messages: [
        { role: 'system', content: prompt.system },
        { role: 'user', content: prompt.user },
      ],
      max_tokens: parameters.maxTokens,
      temperature: parameters.temperature,
      stream: model.config.stream,
    };
    if (model.config.stream) body.stream_options = { include_usage: true };
    if (provider.supportsResponseFormat) body.response_format = { type: 'json_object' };
    const estimatedPrompt = estimateTokens(prompt.system) + estimateTokens(prompt.user);
    const worstCase = model.pricing
      ? worstCaseCost(model.pricing, estimatedPrompt, parameters.maxTokens)
      : undefined;
    const endpoint = this.deps.endpoint(provider);
    const timeoutMs = model.config.timeoutMs;
    const records: CallRecord[] = [];
    let costMicros = 0;
    let costUnknown = false;

    // An explicit test of the model itself calls it even when disabled; all other work re-reads
    // the disabled state right before each attempt (a retry, or a call that waited for a slot).
    const disabledNow = (): string | undefined =>
      item.explicit && walk.depth === 0 ? undefined : this.deps.store.disabledReason(model.id);
    // A refusal after `attempts` attempts keeps what those attempts cost and recorded.
    const refuseAfter = async (error: CallError, attempts: number): Promise<ModelAttemptResult> => {
      const refused = await this.refuse(context, walk, model, error);
      return {
        ...refused,
        costMicros,
        costUnknown,
        attempts,
        records: [...records, ...refused.records],
      };
    };
    const refuseDisabled = (reason: string, attempts: number): Promise<ModelAttemptResult> =>
      refuseAfter({ class: 'disabled', message: `${model.id} is disabled: ${reason}` }, attempts);

    for (let attempt = 1; ; attempt++) {
      if (context.signal.aborted) {
        return cancelledResult(costMicros, costUnknown, attempt - 1, records);
      }
      if (attempt > 1) {
        const disabled = disabledNow();
        if (disabled !== undefined) return refuseDisabled(disabled, attempt - 1);
      }
      // A compare cell is always sent; its outcome still counts toward the breaker for other work.
      const admission = item.column === undefined ? breaker.admit() : 'pass';
      if (admission === 'refuse') {
        return refuseAfter(
          { class: 'circuit_open', message: `circuit open for ${provider.id}/${model.id}` },
          attempt - 1,
        );
      }
      let reservation: Reservation | undefined;
      if (worstCase !== undefined) {
        const admitted = this.deps.ledger.reserve(context.runId, model.id, worstCase);
        if (!admitted.ok) {
          if (admission === 'probe') breaker.recordNeutral();
          return refuseAfter({ class: 'budget_exceeded', message: admitted.reason }, attempt - 1);
        }
        reservation = admitted.reservation;
        // The reservation is committed before anything is sent: after a crash it counts as spent.
        // One that cannot be written is never sent: the call is refused, as a result.
        try {
          await reservation.persisted;
        } catch (error) {
          this.deps.ledger.abandon(reservation);
          if (admission === 'probe') breaker.recordNeutral();
          const message = this.redact(
            `the budget reservation could not be saved, so the call was not sent: ${errorMessage(error)}`,
          );
          this.deps.logger?.error(
            {
              event: 'reservation-failed',
              runId: context.runId,
              modelId: model.id,
              error: message,
            },
            'budget reservation not saved',
          );
          return refuseAfter({ class: 'budget_exceeded', message }, attempt - 1);
        }
      }
      if (attempt === 1) runtime.retryBudget.deposit();
      const startedAt = this.now().toISOString();
      let disabledWhileWaiting: string | undefined;
      const outcome = await runtime.limit(async () => {
        const waited = await runtime.rate.acquire(estimatedPrompt + parameters.maxTokens);
        if (waited > 0)
          context.onEvent?.({
            type: 'waiting',
            runId: context.runId,
            modelId: model.id,
            reason: 'provider rate limit (rpm/tpm)',
            ms: waited,
          });
        // Waiting for a concurrency slot or the rate limit may have taken a while.
        disabledWhileWaiting = disabledNow();
        if (disabledWhileWaiting !== undefined) return undefined;
        return sendChat({
          baseUrl: endpoint.baseUrl,
          apiKey: endpoint.apiKey,
          body,
          dispatcher: runtime.dispatcher,
          signal: context.signal,
          deadlines: {
            totalMs: timeoutMs,
            firstTokenMs: firstTokenTimeoutMs(model.config),
            idleMs: Math.min(this.options.idleTimeoutMs, timeoutMs),
          },
          onFirstToken:
            context.onEvent && body.stream
              ? () =>
                  context.onEvent?.({
                    type: 'first-token',
                    runId: context.runId,
                    itemKey: item.key,
                    modelId: model.id,
                  })
              : undefined,
        });
      });
      if (outcome === undefined) {
        if (reservation) this.deps.ledger.release(reservation);
        if (admission === 'probe') breaker.recordNeutral();
        return refuseDisabled(disabledWhileWaiting ?? 'disabled', attempt - 1);
      }

      const usageCost = model.pricing
        ? costOfUsage(model.pricing, {
            promptTokens: outcome.usage.promptTokens,
            completionTokens: outcome.usage.completionTokens,
          })
        : undefined;
      let recordedCost: number | null = usageCost ?? null;
      // What the ledger counts for a billed attempt whose usage never arrived, kept on its record.
      let estimatedCost: number | null = null;
      // Settled in the same transaction as the attempt's record (see record()), so the ledger and
      // the records never disagree, even across a crash.
      let settle: (() => void) | undefined;
      if (reservation) {
        // Unknown usage after the provider may have generated tokens is settled at the worst case.
        const billedUnknown =
          usageCost === undefined && outcome.httpStatus !== undefined && outcome.httpStatus < 400;
        const settled = usageCost ?? (billedUnknown ? reservation.amount : 0);
        const open = reservation;
        settle = () => this.deps.ledger.settle(open, settled);
        costMicros += settled;
        if (billedUnknown) {
          costUnknown = true;
          estimatedCost = settled;
        }
      } else if (outcome.httpStatus !== undefined && outcome.httpStatus < 400) {
        costUnknown = true;
        recordedCost = null;
      }

      let error = outcome.error;
      let value: unknown = null;
      let parsed: ReturnType<typeof parseReply> | undefined;
      if (!error) {
        parsed = parseReply(
          context.task,
          { content: outcome.content, reasoning: outcome.reasoning },
          model.config.responseHandler,
          { fixtures: item.fixtures },
        );
        if (parsed.ok) value = parsed.value;
        else error = parsed.error;
      }

      if (!error) {
        breaker.recordSuccess();
        this.deps.store.recordSuccess(model.id, startedAt);
        records.push(
          this.record(context, walk, model, attempt, {
            started: startedAt,
            outcome,
            error: undefined,
            costMicros: recordedCost,
            estimatedCostMicros: estimatedCost,
            parsed,
            final: true,
            variant: variantName,
            settle,
          }),
        );
        return {
          success: true,
          value,
          error: undefined,
          costMicros,
          costUnknown,
          attempts: attempt,
          records,
          next: undefined,
        };
      }

      const info = ERROR_CLASS_INFO[error.class];
      if (info.countsAsModelFailure) breaker.recordFailure();
      else if (admission === 'probe') breaker.recordNeutral();
      const decision = decideRetry(
        error,
        attempt,
        outcome.retryAfterMs,
        this.options.retry,
        runtime.retryBudget,
        this.options.random,
      );
      let next: FallbackHop | undefined;
      if (!decision.retry && decision.reason !== 'not_retryable') {
        error = { ...error, message: `${error.message} (not retried: ${decision.detail})` };
      }
      if (!decision.retry) {
        // A failed prediction, counted after retries and before fallbacks; throttling is not one.
        if (info.countsAsModelFailure) {
          const health = this.deps.store.recordFailure(
            model.id,
            error.class,
            this.options.autoDisableAfter,
            startedAt,
          );
          if (health.disabledNow)
            context.onEvent?.({
              type: 'disabled',
              runId: context.runId,
              modelId: model.id,
              reason: health.reason,
            });
        }
        const fallback = this.fallbackAfter(context, walk, model, error);
        next = fallback.next;
        error = withFallbackNotUsed(error, fallback.notUsed);
      }
      const record = this.record(context, walk, model, attempt, {
        started: startedAt,
        outcome,
        error,
        costMicros: recordedCost,
        estimatedCostMicros: estimatedCost,
        parsed,
        final: !decision.retry && next === undefined,
        variant: variantName,
        settle,
      });
      records.push(record);
      if (decision.retry) {
        context.onEvent?.({
          type: 'waiting',
          runId: context.runId,
          modelId: model.id,
          reason: `retrying after ${error.class} (${decision.reason})`,
          ms: decision.delayMs,
        });
        try {
          await this.options.sleep(decision.delayMs, context.signal);
        } catch {
          return cancelledResult(costMicros, costUnknown, attempt, records);
        }
        continue;
      }
      return {
        success: false,
        value: null,
        error,
        costMicros,
        costUnknown,
        attempts: attempt,
        records,
        next,
      };
    }
  }

  /** A storage write that failed: the next flush (and every run's end) reports it. */
  private writeFailure: unknown;

  /** Resolves once every record and reservation so far is committed; throws a failed write. */
  async flush(): Promise<void> {
    await this.deps.store.flush();
    if (this.writeFailure !== undefined) throw this.writeFailure;
  }

  private record(
    context: RunContext,
    walk: Walk,
    model: StoredModel,
    attempt: number,
    details: AttemptDetails & {
      /** Settles the attempt's budget reservation, in the record's transaction. */
      settle?: (() => void) | undefined;
    },
  ): CallRecord {
    const record = buildCallRecord(context.runId, walk, model, attempt, details, this.redact);
    const settle = details.settle;
    // Group commit: the record (and its settlement) lands with the writes of this event-loop
    // turn, often the next call's reservation, so a sequential run pays one commit per call.
    this.deps.store
      .write(() => {
        settle?.();
        return this.deps.store.addRecord(record);
      })
      .then(
        (id) => {
          record.id = id;
          // Every field of the record, as stored (excerpts and parsed value already redacted).
          if (this.deps.logCall) this.deps.logCall(record);
          else this.deps.logger?.info({ event: 'call', ...record }, 'call attempt');
          context.onEvent?.({ type: 'attempt', runId: context.runId, record });
        },
        (error: unknown) => {
          this.writeFailure ??= error;
          this.deps.logger?.error(
            {
              event: 'record-failed',
              runId: context.runId,
              itemKey: record.itemKey,
              attempt: record.attempt,
              error: this.redact(errorMessage(error)),
            },
            'call record not saved',
          );
        },
      );
    return record;
  }
}

/** The final error of a model whose fallback was refused says why (cost ceiling, loop, depth...). */
function withFallbackNotUsed<E extends CallError>(error: E, notUsed: string | undefined): E {
  return notUsed === undefined
    ? error
    : { ...error, message: `${error.message} (fallback not used: ${notUsed})` };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The result of a model's attempts when the run is cancelled: it decides nothing, goes nowhere. */
function cancelledResult(
  costMicros: number,
  costUnknown: boolean,
  attempts: number,
  records: CallRecord[],
): ModelAttemptResult {
  return {
    success: false,
    value: null,
    error: { class: 'cancelled', message: 'the run was cancelled' },
    costMicros,
    costUnknown,
    attempts,
    records,
    next: undefined,
  };
}
