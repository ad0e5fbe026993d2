import type { ModelStatusName } from '../domain/status';

/** `working` needs this many consecutive clean canaries on the current config (default). */
export const DEFAULT_CLEAN_CANARIES = 3;

/** What one run told us about one model (compare runs are not counted: columns pin other configs). */
export interface RunFact {
  runId: string;
  kind: string;
  startedAt: string;
  configVersion: number;
  /** The config at this run equals the model's current config (a rollback counts as the same). */
  currentConfig: boolean;
  /** Fixtures decided for the model in this run. */
  predictions: number;
  /** Answered by the model itself (no fallback). */
  own: number;
  viaFallback: number;
  /** Quality warnings on the model's own answers (stuck, unrealistic, ...). */
  qualityWarnings: readonly string[];
  /** The most frequent error class of the model's own failed predictions. */
  topError: string | null;
}

export type Verdict = 'active' | 'inactive' | 'unfixable';

export interface StatusFacts {
  active: boolean;
  verdict: { status: Verdict; reason: string | null; retestAt: string | null };
  health: { disabled: boolean; reason: string | null };
  configVersion: number;
  /** Every run that tested the model, newest first. */
  runs: readonly RunFact[];
}

export interface DerivedStatus {
  status: ModelStatusName;
  /** Why: the chip's tooltip. */
  reason: string | null;
  /** When the current run of clean canaries first reached the threshold; null unless working. */
  workingSince: string | null;
  /** The last run on the current config (the last time the model was checked). */
  lastValidated: string | null;
  /** Consecutive clean runs on the current config, newest first. */
  cleanStreak: number;
}

/** How the reason of an untested model with clean canaries, not yet enough of them, begins. */
export const VALIDATING_REASON = 'validating:';

/** A clean run: every fixture answered by the model itself, with no quality warning. */
export function isCleanRun(run: Pick<RunFact, 'predictions' | 'own' | 'qualityWarnings'>): boolean {
  return run.predictions > 0 && run.own === run.predictions && run.qualityWarnings.length === 0;
}

/**
 * A clean run that vouches for the model: any clean run but a `check`. A check (one fixture per
 * model: a connectivity test) cannot see what the quality checks need several answers for (a
 * model stuck on 1-0 looks clean on one), so it never counts toward `working`, never is a gate's
 * clean baseline and never is when the model "last worked".
 */
export function vouchesForModel(run: Pick<RunFact, 'kind' | 'predictions' | 'own' | 'qualityWarnings'>): boolean {
  return isCleanRun(run) && run.kind !== 'check';
}

/**
 * The one rule for a model's status, used by the CLI, the console and model-status.json:
 * operator verdicts first (inactive, unfixable), then the automatic disable, then the runs on the
 * current config. `working` needs `cleanCanaries` consecutive clean runs; fewer after a failure is
 * `degraded` (recovering), fewer with no failure yet is still `untested` (validating), so one good
 * run never makes a model look proven and one blip never flips a working model to failing.
 */
export function deriveStatus(
  facts: StatusFacts,
  options: { cleanCanaries?: number; now?: string } = {},
): DerivedStatus {
  const needed = Math.max(1, options.cleanCanaries ?? DEFAULT_CLEAN_CANARIES);
  const onConfig = facts.runs.filter((run) => run.currentConfig && run.predictions > 0);
  // A clean check neither counts toward `working` nor breaks a streak (see vouchesForModel); a
  // failed check counts as the failure it is.
  const current = onConfig.filter((run) => vouchesForModel(run) || !isCleanRun(run));
  let cleanStreak = 0;
  while (cleanStreak < current.length && isCleanRun(current[cleanStreak]!)) cleanStreak++;
  const lastValidated = onConfig[0]?.startedAt ?? null;
  const base = { workingSince: null, lastValidated, cleanStreak };
  const version = `config v${facts.configVersion}`;

  if (!facts.active) {
    return {
      ...base,
      status: 'inactive',
      reason: facts.verdict.reason ?? 'marked inactive by an operator',
    };
  }
  if (facts.verdict.status === 'unfixable') {
    const due = facts.verdict.retestAt;
    const retest =
      due === null
        ? ''
        : options.now !== undefined && due <= options.now
          ? `; re-test due since ${due.slice(0, 10)}`
          : `; re-test on ${due.slice(0, 10)}`;
    return {
      ...base,
      status: 'unfixable',
      reason: `${facts.verdict.reason ?? 'marked unfixable by an operator'}${retest}`,
    };
  }
  if (facts.health.disabled) {
    return { ...base, status: 'disabled', reason: facts.health.reason ?? 'disabled automatically' };
  }
  const latest = current[0];
  if (!latest)
    return {
      ...base,
      status: 'untested',
      reason:
        onConfig.length > 0
          ? `only checks have run on ${version}: a canary decides working (a one-fixture check cannot see quality problems)`
          : `no canary has run on ${version} yet`,
    };
  if (cleanStreak >= needed) {
    return {
      ...base,
      status: 'working',
      reason: `${cleanStreak} consecutive clean canar${cleanStreak === 1 ? 'y' : 'ies'} on ${version}`,
      workingSince: current[cleanStreak - needed]!.startedAt,
    };
  }
  if (cleanStreak > 0) {
    const progress = `${cleanStreak} of ${needed} clean canaries`;
    return current.length > cleanStreak
      ? {
          ...base,
          status: 'degraded',
          reason: `recovering: ${progress} since the last failure on ${version}`,
        }
      : { ...base, status: 'untested', reason: `${VALIDATING_REASON} ${progress} on ${version}` };
  }
  // The failure is older than a check that answered: the model answers again, unproven.
  if (onConfig[0] !== latest && latest.own < latest.predictions) {
    return {
      ...base,
      status: 'degraded',
      reason: `recovering: a check answered since the last failure on ${version}; a canary decides working`,
    };
  }
  const answered = `${latest.own}/${latest.predictions} answered by the model${latest.viaFallback > 0 ? ` (${latest.viaFallback} more via fallback)` : ''}`;
  if (latest.own === 0) {
    return {
      ...base,
      status: 'failing',
      reason: `${answered}${latest.topError ? `; last error: ${latest.topError}` : ''}`,
    };
  }
  if (latest.own < latest.predictions) {
    return {
      ...base,
      status: 'degraded',
      reason: `${answered}${latest.topError ? `; errors: ${latest.topError}` : ''}`,
    };
  }
  return { ...base, status: 'degraded', reason: `quality: ${latest.qualityWarnings[0]}` };
}
