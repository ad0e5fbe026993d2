import type { ErrorClass } from '../../src-shared/errors';
import type { StoredModel } from '../store';
import type { EngineInternals } from './engine-internals';
import { fallbackAfter, withFallbackNotUsed } from './fallback-after';
import type { ModelAttemptResult } from './model-attempt-result';
import type { RunContext } from './types';
import type { Walk } from './walk';

/** Refusals decided before sending: written as attempt 0. */
export type Refusal = { class: ErrorClass; message: string };

/** Writes a refusal as the model's attempt 0 and decides where the item goes next. */
export async function refuse(
  engine: EngineInternals,
  context: RunContext,
  walk: Walk,
  model: StoredModel,
  refused: Refusal,
): Promise<ModelAttemptResult> {
  const { next, notUsed } = fallbackAfter(engine, context, walk, model, refused);
  const refusal = withFallbackNotUsed(refused, notUsed);
  const record = engine.records.record(context, walk, model, 0, {
    started: engine.now().toISOString(),
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
