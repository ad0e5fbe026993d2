import type { CallError } from '../../src-shared/errors';
import type { StoredModel } from '../store';
import type { EngineInternals } from './engine-internals';
import type { RunContext } from './types';

/**
 * A failed prediction, counted after retries and before fallbacks (throttling is not one): it
 * may disable the model, which the run hears as a `disabled` event.
 */
export function countModelFailure(
  engine: EngineInternals,
  context: RunContext,
  model: StoredModel,
  error: CallError,
  startedAt: string,
): void {
  const health = engine.deps.store.recordFailure(
    model.id,
    error.class,
    engine.options.autoDisableAfter,
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
