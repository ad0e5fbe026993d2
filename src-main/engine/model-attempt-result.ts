import type { CallRecord } from '../../src-shared/domain';
import type { CallError } from '../../src-shared/errors';
import type { StoredModel } from '../store';
import type { FallbackHop } from './fallback-after';
import type { ItemResult, WorkItem } from './types';

/** What one model's attempts at an item came to. */
export interface ModelAttemptResult {
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

/** The result of a model's attempts when the run is cancelled: it decides nothing, goes nowhere. */
export function cancelledResult(
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

/** An item's result from the last model it reached and the totals of every model on its walk. */
export function itemResult(
  item: WorkItem,
  actual: StoredModel,
  depth: number,
  result: ModelAttemptResult,
  costMicros: number,
  costUnknown: boolean,
  attempts: number,
  records: CallRecord[],
  started: number,
  redact: (text: string) => string,
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
    errorMessage: error ? redact(error.message) : null,
    costMicros: costUnknown ? undefined : costMicros,
    costUnknown,
    latencyMs: performance.now() - started,
    attempts,
    records,
  };
}
