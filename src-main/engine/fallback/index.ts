export { type FallbackCandidate, type FallbackContext, type FallbackStep, nextFallback } from './next-fallback';
export { type NormalizedParameters, normalizeRequest } from './normalize-request';
