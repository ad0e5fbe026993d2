import { FALLBACK_COST_WARN_RATIO, MAX_FALLBACK_DEPTH, type Pricing } from '../../../src-shared/domain';
import { priceRatio } from '../../../src-shared/money';

export interface FallbackCandidate {
  id: string;
  pricing: Pricing | null;
  fallback: string | null;
}

export interface FallbackContext {
  lookup(id: string): FallbackCandidate | undefined;
  /** Re-checked at the moment of resolution: a model disabled a millisecond ago is skipped. */
  isDisabled(id: string): string | undefined;
  isCircuitOpen(id: string): boolean;
  costCeiling: number;
}

export type FallbackStep =
  | { ok: true; id: string; depth: number; reason: string; warnings: string[] }
  /** `notUsed`: why a configured fallback was not used (undefined when there is none to use). */
  | { ok: false; notUsed: string | undefined };

/**
 * The next model to try after `fromId` failed, walking the fallback chain of the intended model
 * with a visited set (no model twice), at most MAX_FALLBACK_DEPTH hops from the intended model,
 * skipping disabled models and open circuits and refusing any model priced over the ceiling
 * relative to the intended model.
 */
export function nextFallback(
  intended: FallbackCandidate,
  fromId: string,
  fromDepth: number,
  visited: Set<string>,
  failure: string,
  context: FallbackContext,
): FallbackStep {
  const skipped: string[] = [];
  const refuse = (notUsed: string): FallbackStep => ({ ok: false, notUsed });
  let current = context.lookup(fromId);
  let depth = fromDepth;
  while (current?.fallback) {
    const candidateId = current.fallback;
    depth++;
    if (depth > MAX_FALLBACK_DEPTH) {
      return refuse(`fallback depth limit ${MAX_FALLBACK_DEPTH} reached${skipped.length ? ` (${skipped.join('; ')})` : ''}`);
    }
    if (visited.has(candidateId)) {
      return refuse(`fallback ${candidateId} already tried in this call (loop refused)`);
    }
    const candidate = context.lookup(candidateId);
    if (!candidate) return refuse(`fallback ${candidateId} is not in the fleet`);
    visited.add(candidateId);
    const disabled = context.isDisabled(candidateId);
    if (disabled) {
      skipped.push(`${candidateId} skipped: disabled (${disabled})`);
      current = candidate;
      continue;
    }
    if (context.isCircuitOpen(candidateId)) {
      skipped.push(`${candidateId} skipped: circuit open`);
      current = candidate;
      continue;
    }
    const ratio = priceRatio(intended.pricing, candidate.pricing);
    if (intended.pricing !== null && candidate.pricing === null) {
      return refuse(`fallback ${candidateId} refused: unpriced, so the ${context.costCeiling}x cost ceiling cannot be checked`);
    }
    if (ratio !== undefined && ratio > context.costCeiling) {
      return refuse(`fallback ${candidateId} refused: costs ${ratio.toFixed(1)}x ${intended.id}, over the ${context.costCeiling}x ceiling`);
    }
    const warnings = ratio !== undefined && ratio > FALLBACK_COST_WARN_RATIO ? [`fallback ${candidateId} costs ${ratio.toFixed(1)}x ${intended.id}`] : [];
    return {
      ok: true,
      id: candidateId,
      depth,
      reason: [failure, ...skipped].join('; '),
      warnings,
    };
  }
  return skipped.length ? refuse(`${skipped.join('; ')}; no further fallback`) : { ok: false, notUsed: undefined };
}
