import { rate } from './stats';

/** The seeds' objective criteria for giving up on a model (pitfall 3). */
export const UNFIXABLE_RULES = {
  /** Fix attempts since the model last worked ... */
  fixAttempts: 5,
  /** ... all below this success rate. */
  successBelow: 0.5,
  /** Share of recent attempts answered with a 5xx: the provider is unstable. */
  serverErrorShare: 0.3,
  /** The 5xx rule needs at least this many recent attempts. */
  minRecentAttempts: 10,
  /** Cost per success above this multiple of the fleet median. */
  costMultiple: 10,
  /** Days until an unfixable model is due for a re-test. */
  retestDays: 90,
} as const;

/** When an unfixable verdict given at `now` is due for a re-test. */
export function retestDate(now: Date, days: number = UNFIXABLE_RULES.retestDays): string {
  return new Date(now.getTime() + days * 86_400_000).toISOString();
}

export interface FixAttemptFact {
  version: number;
  note: string;
  createdAt: string;
  /** Fixtures decided for the model at this version, and how many it answered itself. */
  predictions: number;
  own: number;
}

export interface UnfixableFacts {
  /** Every config version of the model, oldest first (version 1 is the starting config). */
  fixAttempts: readonly FixAttemptFact[];
  /** Start of the model's last clean run on any config; null if it never had one. */
  lastWorkedAt: string | null;
  recentAttempts: number;
  recentServerErrors: number;
  costPerSuccessMicros: number | null;
  fleetMedianCostPerSuccessMicros: number | null;
}

const percent = (value: number) => `${Math.round(value * 100)}%`;

/** Fix attempts since the model last worked that were tested: config versions after the first. */
export function attemptsSinceWorking(
  facts: Pick<UnfixableFacts, 'fixAttempts' | 'lastWorkedAt'>,
): FixAttemptFact[] {
  return facts.fixAttempts.filter(
    (attempt) =>
      attempt.version > 1 &&
      attempt.predictions > 0 &&
      (facts.lastWorkedAt === null || attempt.createdAt > facts.lastWorkedAt),
  );
}

/**
 * Suggests calling a model unfixable, with the evidence, when any of the seeds' criteria holds;
 * null otherwise. Only a suggestion: the operator gives the verdict.
 */
export function suggestUnfixable(
  facts: UnfixableFacts,
  rules = UNFIXABLE_RULES,
): { reasons: string[] } | null {
  const reasons: string[] = [];
  const attempts = attemptsSinceWorking(facts);
  if (
    attempts.length >= rules.fixAttempts &&
    attempts.every((attempt) => attempt.own / attempt.predictions < rules.successBelow)
  ) {
    const evidence = attempts
      .map((attempt) => `v${attempt.version} ${percent(attempt.own / attempt.predictions)}`)
      .join(', ');
    reasons.push(
      `${attempts.length} fix attempts since it ${facts.lastWorkedAt === null ? 'was added' : 'last worked'} all stayed under ${percent(rules.successBelow)} success (${evidence})`,
    );
  }
  const share = rate(facts.recentServerErrors, facts.recentAttempts);
  if (
    facts.recentAttempts >= rules.minRecentAttempts &&
    share !== null &&
    share >= rules.serverErrorShare
  ) {
    reasons.push(
      `provider unstable: ${facts.recentServerErrors} of its last ${facts.recentAttempts} calls were 5xx (${percent(share)})`,
    );
  }
  const median = facts.fleetMedianCostPerSuccessMicros;
  if (
    facts.costPerSuccessMicros !== null &&
    median !== null &&
    median > 0 &&
    facts.costPerSuccessMicros > rules.costMultiple * median
  ) {
    reasons.push(
      `cost per success $${(facts.costPerSuccessMicros / 1e6).toFixed(6)} is ${(facts.costPerSuccessMicros / median).toFixed(1)}x the fleet median $${(median / 1e6).toFixed(6)} (limit ${rules.costMultiple}x)`,
    );
  }
  return reasons.length > 0 ? { reasons } : null;
}
