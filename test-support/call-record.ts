import type { CallRecord } from '../src-shared/domain';

/**
 * A stored attempt for tests and benchmarks that write history straight to the store: a clean,
 * priced first attempt of `m` on fixture `fx-0`, with `fields` laid over it.
 */
export function callRecord(fields: Partial<CallRecord> & Pick<CallRecord, 'runId'>): CallRecord {
  return {
    itemKey: 'm/fx-0',
    fixtureId: 'fx-0',
    intendedModel: 'm',
    actualModel: 'm',
    fallbackDepth: 0,
    fallbackReason: null,
    attempt: 1,
    configVersion: 1,
    promptVariant: 'BASE',
    timeoutMs: 30_000,
    startedAt: '2026-01-01T00:00:00.000Z',
    ttftMs: null,
    latencyMs: 100,
    status: 'success',
    final: true,
    errorClass: null,
    errorMessage: null,
    httpStatus: 200,
    promptTokens: 10,
    completionTokens: 5,
    reasoningTokens: null,
    costMicros: 1,
    estimatedCostMicros: null,
    replyLength: 2,
    replyExcerpt: '{}',
    reasoningExcerpt: null,
    parsedValue: null,
    coercions: [],
    parseSteps: [],
    ...fields,
  };
}
