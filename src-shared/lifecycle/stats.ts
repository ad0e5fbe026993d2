/** Small statistics used by every lifecycle figure, so the same number is computed one way. */

/** Nearest-rank percentile (p in 0..100); null for no values. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))] ?? null;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** A share rounded to 4 decimals (0.8333), or null when nothing was counted. */
export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000;
}

/** The timeout tiers the seeds measure escalation against (pitfall 2). */
export const TIMEOUT_TIERS_MS = [30_000, 45_000, 60_000, 90_000] as const;

/** The smallest tier that holds `timeoutMs` (a 20 s timeout counts as the 30 s tier). */
export function timeoutTier(timeoutMs: number): number {
  return TIMEOUT_TIERS_MS.find((tier) => timeoutMs <= tier) ?? TIMEOUT_TIERS_MS.at(-1)!;
}

/**
 * What a tier holds, in words: "≤ 30 s" for the first, "31–45 s" for the next ones, "> 90 s"
 * never (the premium ceiling is the last tier). Every place that shows a tier says this, so an
 * 8 s timeout is never read as "30 s".
 */
export function timeoutTierLabel(tierMs: number): string {
  const index = TIMEOUT_TIERS_MS.indexOf(tierMs as (typeof TIMEOUT_TIERS_MS)[number]);
  const seconds = tierMs / 1000;
  if (index <= 0) return `≤ ${seconds} s`;
  return `${TIMEOUT_TIERS_MS[index - 1]! / 1000 + 1}–${seconds} s`;
}
