import type { CallError } from '../../src-shared/errors';
import type { StoredModel } from '../store';
import type { EngineInternals } from './engine-internals';
import { nextFallback } from './fallback';
import type { RunContext } from './types';
import type { Walk } from './walk';

/** Where a failed model hands its item next. */
export interface FallbackHop {
  id: string;
  depth: number;
  reason: string;
}

/** Decides where a failed model hands the item next, or why its configured fallback is not used. */
export function fallbackAfter(
  engine: EngineInternals,
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
      // The model that failed hands on to its own fallback, as it was tried: a compare column's
      // pinned config (fallback off) rather than the run's copy of the model.
      lookup: (id) => {
        const model = id === current.id ? current : context.models.get(id);
        return model ? candidate(model) : undefined;
      },
      isDisabled: (id) => engine.deps.store.disabledReason(id),
      isCircuitOpen: (id) => {
        const model = context.models.get(id);
        const provider = model && context.providers.get(model.provider);
        return model && provider ? engine.runtimes.get(provider).breaker(id, model.configVersion).current === 'open' : false;
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

/** The final error of a model whose fallback was refused says why (cost ceiling, loop, depth...). */
export function withFallbackNotUsed<E extends CallError>(error: E, notUsed: string | undefined): E {
  return notUsed === undefined
    ? error
    : { ...error, message: `${error.message} (fallback not used: ${notUsed})` };
}
