import type { CallRecord } from '../../src-shared/domain';
import type { CallError } from '../../src-shared/errors';
import type { parseReply } from '../../src-shared/parsing';
import type { StoredModel } from '../store';
import type { Walk } from './engine';
import type { ChatOutcome } from './http';
import { redactValue } from './redact';

/** How many characters of a reply and of its reasoning a record keeps. */
export const EXCERPT = 500;

export interface AttemptDetails {
  started: string;
  outcome: ChatOutcome | undefined;
  error: CallError | undefined;
  costMicros: number | null;
  /** Billed with no usage reported: the worst case the ledger settled (costMicros stays null). */
  estimatedCostMicros: number | null;
  parsed: ReturnType<typeof parseReply> | undefined;
  final: boolean;
  variant: string;
}

/**
 * One attempt as it is persisted and logged: intended and actual model, depth and reason, the
 * config version it used, timings, tokens, cost, excerpts (keys redacted) and the parse result.
 */
export function buildCallRecord(
  runId: string,
  walk: Walk,
  model: StoredModel,
  attempt: number,
  details: AttemptDetails,
  redact: (text: string) => string,
): CallRecord {
  const { outcome, error, parsed } = details;
  const { item, intended, depth, reason } = walk;
  const content = outcome?.content ?? '';
  const reasoning = parsed?.reasoning ?? outcome?.reasoning;
  return {
    runId,
    itemKey: item.key,
    fixtureId: item.fixtures.map((fixture) => fixture.id).join('+'),
    intendedModel: intended.id,
    actualModel: model.id,
    fallbackDepth: depth,
    fallbackReason: reason === null ? null : redact(reason),
    attempt,
    configVersion: model.configVersion,
    promptVariant: details.variant,
    timeoutMs: model.config.timeoutMs,
    startedAt: details.started,
    ttftMs: outcome?.ttftMs ?? null,
    latencyMs: outcome?.latencyMs ?? 0,
    status: error ? 'failure' : 'success',
    // A cancelled attempt never decides its item: a resumed run sends it again.
    final: details.final && error?.class !== 'cancelled',
    errorClass: error?.class ?? null,
    errorMessage: error ? redact(error.message) : null,
    httpStatus: outcome?.httpStatus ?? error?.httpStatus ?? null,
    promptTokens: outcome?.usage.promptTokens ?? null,
    completionTokens: outcome?.usage.completionTokens ?? null,
    reasoningTokens: outcome?.usage.reasoningTokens ?? null,
    costMicros: details.costMicros,
    estimatedCostMicros: details.estimatedCostMicros,
    replyLength: content.length,
    replyExcerpt: redact(content.slice(0, EXCERPT)),
    reasoningExcerpt: reasoning ? redact(reasoning.slice(0, EXCERPT)) : null,
    parsedValue: parsed?.ok ? redactValue(parsed.value ?? null, redact) : null,
    coercions: parsed?.ok ? parsed.coercions : [],
    parseSteps: parsed ? parsed.steps.map((step) => ({ ...step, detail: redact(step.detail) })) : [],
  };
}
