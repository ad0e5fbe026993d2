import type { CallRecord } from '../../src-shared/domain';
import { firstTokenTimeoutMs } from '../../src-shared/domain';
import { type CallError, ERROR_CLASS_INFO, PINNED_CONFIG_FAILURES } from '../../src-shared/errors';
import { costOfUsage, estimateTokens, worstCaseCost } from '../../src-shared/money';
import { sameValue } from '../../src-shared/lifecycle/config-diff';
import { parseReply } from '../../src-shared/parsing';
import type { StoredModel } from '../store';
import type { Settlement } from './record-writer';
import type { Reservation } from './budget';
import { buildChatBody } from './build-chat-body';
import { countModelFailure } from './count-model-failure';
import type { EngineInternals } from './engine-internals';
import { errorMessage } from './error-message';
import { type FallbackHop, fallbackAfter, withFallbackNotUsed } from './fallback-after';
import { normalizeRequest } from './fallback';
import { sendChat } from './http';
import { cancelledResult, type ModelAttemptResult } from './model-attempt-result';
import { refuse } from './refuse';
import { decideRetry } from './retry';
import type { RunContext } from './types';
import type { Walk } from './walk';

/**
 * One model's attempts at an item: checks, budget reservation, send, parse, settle and record,
 * retried while the retry policy allows; a failure that is not retried decides the fallback.
 */
export async function tryModel(
  engine: EngineInternals,
  context: RunContext,
  walk: Walk,
  model: StoredModel,
): Promise<ModelAttemptResult> {
  const { item } = walk;
  const provider = context.providers.get(model.provider);
  if (!provider) {
    return refuse(engine, context, walk, model, {
      class: 'bad_request',
      message: `provider ${model.provider} is not configured`,
    });
  }
  const runtime = engine.runtimes.get(provider);
  // The run's copy of the model is the config it runs (a compare cell's pinned version is not).
  const running = context.models.get(model.id);
  const breaker = runtime.breaker(model.id, running?.configVersion ?? model.configVersion);
  // A compare cell that runs the model's config as it runs (the current settings and variant,
  // whatever version or column spells them) tells the breaker what other work would learn. One
  // that tests another config or variant closes nothing by answering, and opens it only by the
  // provider's own failures.
  const runsCurrentConfig = item.column === undefined || runsAsCurrent(model, running, item.promptVariant);
  const variantName = item.promptVariant ?? model.config.promptVariant;
  const variant = context.variant(variantName);
  if (!variant) {
    return refuse(engine, context, walk, model, {
      class: 'bad_request',
      message: `unknown prompt variant ${variantName}`,
    });
  }
  const prompt = engine.prompts.compose(context, model, variant, item);
  const parameters = normalizeRequest(model.providerModelId, model.config, provider.limits);
  const body = buildChatBody(model, provider, parameters, prompt);
  const estimatedPrompt = estimateTokens(prompt.system) + estimateTokens(prompt.user);
  const worstCase = model.pricing
    ? worstCaseCost(model.pricing, estimatedPrompt, parameters.maxTokens)
    : undefined;
  const endpoint = engine.deps.endpoint(provider);
  // Sent without its key, the call could only come back 401: say what is missing instead.
  if (endpoint.missingKey !== undefined) {
    return refuse(engine, context, walk, model, {
      class: 'auth',
      message: `not sent: provider ${provider.id} has no API key (${endpoint.missingKey})`,
    });
  }
  const timeoutMs = model.config.timeoutMs;
  const records: CallRecord[] = [];
  let costMicros = 0;
  let costUnknown = false;

  // An explicit test of the model itself calls it even when disabled; all other work re-reads
  // the disabled state right before each attempt (a retry, or a call that waited for a slot).
  const disabledNow = (): string | undefined =>
    item.explicit && walk.depth === 0 ? undefined : engine.deps.store.disabledReason(model.id);
  // A refusal after `attempts` attempts keeps what those attempts cost and recorded.
  const refuseAfter = async (error: CallError, attempts: number): Promise<ModelAttemptResult> => {
    const refused = await refuse(engine, context, walk, model, error);
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
    // A compare cell is always sent (a test the operator asked for); see runsCurrentConfig for
    // what its outcome tells the breaker.
    const admission = item.column === undefined ? breaker.admit() : 'pass';
    if (admission === 'refuse') {
      return refuseAfter(
        { class: 'circuit_open', message: `circuit open for ${provider.id}/${model.id}` },
        attempt - 1,
      );
    }
    let reservation: Reservation | undefined;
    if (worstCase !== undefined) {
      const admitted = engine.deps.ledger.reserve(context.runId, model.id, worstCase);
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
        engine.deps.ledger.abandon(reservation);
        if (admission === 'probe') breaker.recordNeutral();
        const message = engine.redact(
          `the budget reservation could not be saved, so the call was not sent: ${errorMessage(error)}`,
        );
        engine.deps.logger?.error(
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
    const startedAt = engine.now().toISOString();
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
          idleMs: Math.min(engine.options.idleTimeoutMs, timeoutMs),
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
      if (reservation) engine.deps.ledger.release(reservation);
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
    // Settled with the attempt's record (see RecordWriter.record): removed in the record's
    // transaction, then counted once that is committed, so the ledger, the store and the records
    // never disagree, even across a crash.
    let settle: Settlement | undefined;
    if (reservation) {
      // Unknown usage after the provider may have generated tokens is settled at the worst case.
      const billedUnknown =
        usageCost === undefined && outcome.httpStatus !== undefined && outcome.httpStatus < 400;
      // At this call's own worst case: the reservation may be a prepared one holding more.
      const settled = usageCost ?? (billedUnknown ? (worstCase ?? reservation.amount) : 0);
      const open = reservation;
      settle = {
        stored: () => engine.deps.ledger.removeStored(open),
        account: () => engine.deps.ledger.account(open, settled),
      };
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
      if (runsCurrentConfig) breaker.recordSuccess();
      // A compare cell never counts toward auto-disable, its failures as its successes: a trial
      // that works must not reset the failure count of a current config that does not.
      if (item.column === undefined) engine.deps.store.recordSuccess(model.id, startedAt);
      records.push(
        engine.records.record(context, walk, model, attempt, {
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
    // A compare cell testing another config or variant: its unusable reply, deadline or refused
    // request reflects that config, not the model's health; only the provider's own failures
    // (5xx, network, 404...) count for other work.
    const breakerFailure =
      info.countsAsModelFailure && (runsCurrentConfig || !PINNED_CONFIG_FAILURES.has(error.class));
    if (breakerFailure) breaker.recordFailure();
    else if (admission === 'probe') breaker.recordNeutral();
    const decision = decideRetry(
      error,
      attempt,
      outcome.retryAfterMs,
      engine.options.retry,
      runtime.retryBudget,
      engine.options.random,
    );
    let next: FallbackHop | undefined;
    if (!decision.retry && decision.reason !== 'not_retryable') {
      error = { ...error, message: `${error.message} (not retried: ${decision.detail})` };
    }
    if (!decision.retry) {
      // A failed prediction, counted after retries and before fallbacks; throttling is not one.
      // A compare cell tests a pinned config or variant, not the model as it runs: not counted.
      if (info.countsAsModelFailure && item.column === undefined) countModelFailure(engine, context, model, error, startedAt);
      const fallback = fallbackAfter(engine, context, walk, model, error);
      next = fallback.next;
      error = withFallbackNotUsed(error, fallback.notUsed);
    }
    const record = engine.records.record(context, walk, model, attempt, {
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
        await engine.options.sleep(decision.delayMs, context.signal);
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

/** Whether a compare cell's pinned model sends what the model as it runs sends (a cell never falls back). */
function runsAsCurrent(pinned: StoredModel, running: StoredModel | undefined, variant: string | undefined): boolean {
  if (running === undefined) return false;
  const sent = { ...pinned.config, promptVariant: variant ?? pinned.config.promptVariant, fallback: null };
  return sameValue(sent, { ...running.config, fallback: null });
}
