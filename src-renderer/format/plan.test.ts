import { describe, expect, it } from 'vitest';
import { describePlan } from './plan';

const plan = { fixtures: 5, seed: 42 };

describe('describePlan', () => {
  it('says in words that nothing changes instead of "0 models change ()"', () => {
    expect(describePlan({ ...plan, affected: [], tested: [] })).toBe(
      "no model's prompt or config changes, so the gate has nothing to run.",
    );
    expect(describePlan({ ...plan, affected: [], tested: ['a', 'b'] })).toBe(
      "no model's prompt or config changes, so the gate still runs 2 models × 5 fixtures (seed 42).",
    );
  });

  it('names the changed models and what the gate runs', () => {
    expect(describePlan({ ...plan, affected: ['a'], tested: ['a', 'w1', 'w2'] })).toBe(
      '1 model changes (a); the gate runs 3 models × 5 fixtures (seed 42).',
    );
  });

  it('lists at most eight models and counts the rest', () => {
    const ids = Array.from({ length: 11 }, (_, index) => `m${index + 1}`);
    expect(describePlan({ ...plan, affected: ids, tested: ids })).toBe(
      '11 models change (m1, m2, m3, m4, m5, m6, m7, m8 and 3 more); the gate runs 11 models × 5 fixtures (seed 42).',
    );
  });
});
