import { describe, expect, it } from 'vitest';
import { budgetWarnings } from './index';

const nothingSpent = { spent: 0, reserved: 0 };

describe('budgetWarnings', () => {
  it('warns of a daily budget below today spend: every priced call is refused until the day rolls over', () => {
    expect(budgetWarnings({ dailyUsd: 1 }, { spent: 1_230_000, reserved: 0 })).toEqual([
      {
        field: 'dailyUsd',
        message:
          "the daily budget $1.00 is below today's spend $1.23: every priced call will be refused until the day rolls over (UTC)",
      },
    ]);
  });

  it('warns of a daily budget equal to today spend: no priced call has room left', () => {
    expect(budgetWarnings({ dailyUsd: 1.23 }, { spent: 1_230_000, reserved: 0 })).toEqual([
      {
        field: 'dailyUsd',
        message:
          "the daily budget $1.23 equals today's spend $1.23: every priced call will be refused until the day rolls over (UTC)",
      },
    ]);
  });

  it('says nothing of a daily budget above today spend and reservations', () => {
    expect(
      budgetWarnings({ dailyUsd: 2, runUsd: 1 }, { spent: 1_230_000, reserved: 500_000 }),
    ).toEqual([]);
  });

  it('says nothing when nothing was spent today', () => {
    expect(budgetWarnings({ dailyUsd: 0.01, runUsd: 0.01 }, nothingSpent)).toEqual([]);
  });

  it('warns of a daily budget that only the reservations of calls in flight fill', () => {
    expect(budgetWarnings({ dailyUsd: 1 }, { spent: 800_000, reserved: 300_000 })).toEqual([
      {
        field: 'dailyUsd',
        message:
          "the daily budget $1.00 is below today's spend $0.80 plus $0.30 reserved for calls in flight ($1.10 in all): new priced calls may be refused until those settle, or until the day rolls over (UTC)",
      },
    ]);
  });

  it('says nothing of a run cap below today spend: a run counts only its own spend', () => {
    expect(budgetWarnings({ dailyUsd: 10, runUsd: 1 }, { spent: 1_230_000, reserved: 0 })).toEqual(
      [],
    );
  });

  it('warns of a $0 cap, daily or per run, whatever was spent: it refuses until raised, not until tomorrow', () => {
    expect(budgetWarnings({ dailyUsd: 0, runUsd: 0 }, nothingSpent)).toEqual([
      {
        field: 'dailyUsd',
        message: 'the daily budget is $0.00: every priced call will be refused until it is raised',
      },
      {
        field: 'runUsd',
        message:
          'the per-run cap is $0.00: every priced call of a run will be refused until it is raised',
      },
    ]);
    expect(budgetWarnings({ dailyUsd: 0 }, { spent: 1_230_000, reserved: 0 })).toEqual([
      {
        field: 'dailyUsd',
        message: 'the daily budget is $0.00: every priced call will be refused until it is raised',
      },
    ]);
  });

  it('shows both amounts to the micro-dollar when rounding would show them alike', () => {
    expect(budgetWarnings({ dailyUsd: 1 }, { spent: 1_004_000, reserved: 0 })).toEqual([
      {
        field: 'dailyUsd',
        message:
          "the daily budget $1.000000 is below today's spend $1.004000: every priced call will be refused until the day rolls over (UTC)",
      },
    ]);
  });
});
