import type { CallRecord } from '../../../src-shared/domain';
import type { CallSummaryView } from '../../../src-shared/ipc';
import { microsToUsd } from '../../../src-shared/money';
import type { Handler } from '../types';

/** A stored attempt as the console reads it (money in USD, unknown figures null). */
export function toCallSummary(record: CallRecord): CallSummaryView {
  return {
    id: record.id ?? 0,
    runId: record.runId,
    fixtureId: record.fixtureId,
    intendedModel: record.intendedModel,
    actualModel: record.actualModel,
    fallbackDepth: record.fallbackDepth,
    fallbackReason: record.fallbackReason,
    attempt: record.attempt,
    configVersion: record.configVersion,
    promptVariant: record.promptVariant,
    startedAt: record.startedAt,
    ttftMs: record.ttftMs,
    latencyMs: record.latencyMs,
    status: record.status,
    errorClass: record.errorClass,
    errorMessage: record.errorMessage,
    httpStatus: record.httpStatus,
    promptTokens: record.promptTokens,
    completionTokens: record.completionTokens,
    reasoningTokens: record.reasoningTokens,
    costUsd: record.costMicros === null ? null : microsToUsd(record.costMicros),
    replyLength: record.replyLength,
    replyExcerpt: record.replyExcerpt,
    reasoningExcerpt: record.reasoningExcerpt,
    parsedValue: record.parsedValue ?? null,
    coercions: record.coercions,
  };
}

/** Recent attempts, newest first (of a model, of a run in call order, or of everything). */
export const listCalls: Handler<'calls.list'> = async (input, { host }) =>
  host.runs
    .records({ modelId: input.modelId, runId: input.runId, limit: input.limit })
    .map(toCallSummary);
