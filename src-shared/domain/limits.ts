/**
 * Defaults that come from the domain research in shared/seeds (000, 001): a 60 s timeout ceiling
 * (90 s for premium models), fallback chains at most 3 deep, a 3x fallback cost ceiling (warn
 * above 2x), auto-disable after 5 consecutive failed predictions.
 */
export const TIMEOUT_CEILING_MS = 60_000;
export const PREMIUM_TIMEOUT_CEILING_MS = 90_000;
export const DEFAULT_TIMEOUT_MS = 30_000;
/**
 * Streams: how long the first token may take unless a model says otherwise. Seed 002 alerts on a
 * time to first token over 10 s; 15 s leaves reasoning models room and matches the idle deadline.
 */
export const DEFAULT_FIRST_TOKEN_TIMEOUT_MS = 15_000;
export const MAX_FALLBACK_DEPTH = 3;
export const DEFAULT_FALLBACK_COST_CEILING = 3;
export const FALLBACK_COST_WARN_RATIO = 2;
export const DEFAULT_AUTO_DISABLE_AFTER = 5;
export const DEFAULT_MAX_TOKENS = 512;
export const DEFAULT_TEMPERATURE = 0.2;
/** What a model config may ask for: the shortest call deadline, the most tokens, the hottest sampling. */
export const MIN_TIMEOUT_MS = 1_000;
export const MAX_MAX_TOKENS = 200_000;
export const MAX_TEMPERATURE = 5;

export function timeoutCeilingMs(premium: boolean): number {
  return premium ? PREMIUM_TIMEOUT_CEILING_MS : TIMEOUT_CEILING_MS;
}
