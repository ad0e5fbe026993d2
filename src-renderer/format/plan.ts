import type { RegressionPlanView } from '../../src-shared/ipc';

const SHOWN_MODELS = 8;

const models = (count: number) => `${count} model${count === 1 ? '' : 's'}`;

function listOf(ids: readonly string[]): string {
  if (ids.length <= SHOWN_MODELS) return ids.join(', ');
  return `${ids.slice(0, SHOWN_MODELS).join(', ')} and ${ids.length - SHOWN_MODELS} more`;
}

/** What a regression plan changes and what its gate runs, as one sentence (after "Blast radius X:"). */
export function describePlan(
  plan: Pick<RegressionPlanView, 'affected' | 'tested' | 'fixtures' | 'seed'>,
): string {
  const runs = `${models(plan.tested.length)} × ${plan.fixtures} fixtures (seed ${plan.seed})`;
  if (plan.affected.length === 0) {
    const gate =
      plan.tested.length === 0 ? 'the gate has nothing to run' : `the gate still runs ${runs}`;
    return `no model's prompt or config changes, so ${gate}.`;
  }
  const verb = plan.affected.length === 1 ? 'changes' : 'change';
  const gate = plan.tested.length === 0 ? 'the gate has nothing to run' : `the gate runs ${runs}`;
  return `${models(plan.affected.length)} ${verb} (${listOf(plan.affected)}); ${gate}.`;
}
