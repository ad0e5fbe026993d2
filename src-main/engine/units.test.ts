import { describe, expect, it } from 'vitest';
import { BudgetLedger } from './budget';
import { normalizeRequest } from './fallback';
import { parseRetryAfter } from './http';
import { CircuitBreaker, RateLimiter } from './limits';
import { makeRedactor, redactValue } from './redact';
import { backoffDelay, DEFAULT_RETRY_POLICY, decideRetry, RetryBudget } from './retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T12:00:00Z');
  it('reads seconds, an HTTP-date and retry-after-ms', () => {
    expect(parseRetryAfter({ 'retry-after': '3' }, now)).toBe(3000);
    expect(parseRetryAfter({ 'retry-after': 'Mon, 23 Nov 2026 12:00:05 GMT' }, now)).toBe(5000);
    expect(parseRetryAfter({ 'retry-after-ms': '1500', 'retry-after': '9' }, now)).toBe(1500);
  });
  it('ignores a missing or unreadable value and never goes negative', () => {
    expect(parseRetryAfter({}, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter({ 'retry-after': 'Mon, 23 Nov 2026 11:00:00 GMT' }, now)).toBe(0);
  });
});

describe('retry decisions', () => {
  const always = { tryWithdraw: () => true };
  it('uses full jitter under a capped exponential ceiling', () => {
    expect([1, 2, 3, 4, 5, 10].map((attempt) => backoffDelay(attempt, DEFAULT_RETRY_POLICY, () => 0.999999))).toEqual([249, 499, 999, 1999, 3999, 3999]);
    expect(backoffDelay(3, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
  });
  it('never retries a terminal class on the same model', () => {
    for (const errorClass of ['auth', 'not_found', 'bad_request', 'budget_exceeded', 'parse_error'] as const) {
      expect(decideRetry({ class: errorClass, message: '' }, 1, undefined, DEFAULT_RETRY_POLICY, always, Math.random)).toMatchObject({ retry: false, reason: 'not_retryable' });
    }
  });
  it('honours Retry-After exactly within the cap and hands over above it', () => {
    expect(decideRetry({ class: 'rate_limited', message: '' }, 1, 2000, DEFAULT_RETRY_POLICY, always, Math.random)).toMatchObject({ retry: true, delayMs: 2000 });
    expect(decideRetry({ class: 'rate_limited', message: '' }, 1, 10_001, DEFAULT_RETRY_POLICY, always, Math.random)).toMatchObject({ retry: false, reason: 'retry_after_over_cap' });
  });
  it('stops at the attempt limit and when the retry budget is spent', () => {
    expect(decideRetry({ class: 'timeout', message: '' }, 3, undefined, DEFAULT_RETRY_POLICY, always, Math.random)).toMatchObject({ retry: false, reason: 'attempts_exhausted' });
    const budget = new RetryBudget(0.2, 2, 100);
    const decisions = [1, 2, 3].map(() => decideRetry({ class: 'timeout', message: '' }, 1, undefined, DEFAULT_RETRY_POLICY, budget, () => 0).retry);
    expect(decisions).toEqual([true, true, false]);
  });
  it('keeps retries a bounded share of traffic', () => {
    const budget = new RetryBudget(0.2, 10, 100);
    let retries = 0;
    for (let request = 0; request < 1000; request++) {
      budget.deposit();
      if (budget.tryWithdraw()) retries++;
    }
    expect(retries).toBeLessThanOrEqual(10 + 0.2 * 1000);
    expect(retries).toBeGreaterThanOrEqual(200);
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, lets exactly one probe through when half-open, and closes on its success', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 }, () => now);
    for (let index = 0; index < 3; index++) {
      expect(breaker.admit()).toBe('pass');
      breaker.recordFailure();
    }
    expect(breaker.admit()).toBe('refuse');
    now = 1000;
    expect([breaker.admit(), breaker.admit(), breaker.admit()]).toEqual(['probe', 'refuse', 'refuse']);
    breaker.recordSuccess();
    expect(breaker.admit()).toBe('pass');
  });
  it('opens again when the probe fails', () => {
    let now = 0;
    const breaker = new CircuitBreaker({ failureThreshold: 1, cooldownMs: 1000 }, () => now);
    breaker.recordFailure();
    now = 1000;
    expect(breaker.admit()).toBe('probe');
    breaker.recordFailure();
    expect(breaker.admit()).toBe('refuse');
    now = 2000;
    expect(breaker.admit()).toBe('probe');
  });
  it('a success between failures resets the count', () => {
    const breaker = new CircuitBreaker({ failureThreshold: 2, cooldownMs: 1000 }, () => 0);
    breaker.recordFailure();
    breaker.recordSuccess();
    breaker.recordFailure();
    expect(breaker.admit()).toBe('pass');
  });
});

describe('RateLimiter', () => {
  it('spaces requests to the requests-per-minute rate', async () => {
    let now = 0;
    const slept: number[] = [];
    const limiter = new RateLimiter(60, undefined, () => now, async (ms) => {
      slept.push(ms);
      now += ms;
    });
    const waits = [];
    for (let index = 0; index < 62; index++) waits.push(await limiter.acquire(1));
    expect(waits.slice(0, 60).every((wait) => wait === 0)).toBe(true);
    expect(waits.slice(60)).toEqual([1000, 1000]);
  });
  it('waits for tokens per minute', async () => {
    let now = 0;
    const limiter = new RateLimiter(undefined, 1200, () => now, async (ms) => {
      now += ms;
    });
    expect(await limiter.acquire(1000)).toBe(0);
    expect(await limiter.acquire(1000)).toBe(40_000);
  });
});

describe('BudgetLedger', () => {
  function ledger(cap: number, runTotals: Record<string, { spent: number; reserved: number }> = {}) {
    const open = new Map<string, number>();
    const store = {
      spentSince: () => 0,
      reservedOn: () => 0,
      runTotals: (runId: string) => runTotals[runId] ?? { spent: 0, reserved: 0 },
      addReservation: (reservation: { id: string; amountMicros: number }) => {
        open.set(reservation.id, reservation.amountMicros);
      },
      removeReservation: (id: string) => open.delete(id),
      discardReservations: (ids: readonly string[]) => {
        for (const id of ids) open.delete(id);
      },
    };
    return { ledger: new BudgetLedger(store, cap, () => new Date('2026-11-23T10:00:00Z')), open };
  }
  it('admits while spent + reserved stays within the cap, and settles to the actual cost', () => {
    const { ledger: budget, open } = ledger(1000);
    const first = budget.reserve('run', 'm', 600);
    expect(first.ok).toBe(true);
    expect(budget.reserve('run', 'm', 401)).toMatchObject({ ok: false });
    if (first.ok) budget.settle(first.reservation, 100);
    expect(budget.snapshot()).toMatchObject({ spent: 100, reserved: 0 });
    expect(open.size).toBe(0);
    expect(budget.reserve('run', 'm', 900).ok).toBe(true);
  });
  it('starts a new UTC day from the store at midnight, and again if the clock goes back', () => {
    let now = new Date('2026-11-23T23:59:59.900Z');
    const asked: string[] = [];
    const budget = new BudgetLedger(
      {
        spentSince: (since) => {
          asked.push(since);
          return since.startsWith('2026-11-23') ? 900 : 0;
        },
        reservedOn: () => 0,
        runTotals: () => ({ spent: 0, reserved: 0 }),
        addReservation: () => undefined,
        removeReservation: () => undefined,
        discardReservations: () => undefined,
      },
      1000,
      () => now,
    );
    expect(budget.reserve('run', 'm', 200)).toMatchObject({ ok: false });
    now = new Date('2026-11-24T00:00:00.000Z');
    expect(budget.reserve('run', 'm', 200).ok).toBe(true);
    expect(budget.snapshot()).toMatchObject({ day: '2026-11-24', spent: 0, reserved: 200 });
    now = new Date('2026-11-23T23:00:00.000Z');
    expect(budget.snapshot()).toMatchObject({ day: '2026-11-23', spent: 900 });
    expect(asked).toEqual(['2026-11-23T00:00:00.000Z', '2026-11-24T00:00:00.000Z', '2026-11-23T00:00:00.000Z']);
  });
  it('enforces a per-run cap beside the daily one', () => {
    const { ledger: budget } = ledger(10_000);
    budget.openRun('small', 500);
    expect(budget.reserve('small', 'm', 400).ok).toBe(true);
    expect(budget.reserve('small', 'm', 200)).toMatchObject({ ok: false, reason: expect.stringContaining('run budget') });
    expect(budget.reserve('other', 'm', 5000).ok).toBe(true);
  });
  it("counts a resumed run's earlier spend and the reservations its crash left open against its cap", () => {
    const { ledger: budget } = ledger(10_000, { resumed: { spent: 300, reserved: 150 } });
    budget.openRun('resumed', 500);
    expect(budget.reserve('resumed', 'm', 51)).toMatchObject({ ok: false, reason: expect.stringContaining('$0.000300 spent + $0.000150 reserved') });
    expect(budget.reserve('resumed', 'm', 50).ok).toBe(true);
  });
  describe('prepared reservations', () => {
    const reserved = (budget: BudgetLedger) => budget.snapshot().reserved;
    const take = (budget: BudgetLedger, model: string, amount: number) => {
      const admission = budget.reserve('run', model, amount);
      if (!admission.ok) throw new Error(admission.reason);
      return admission.reservation;
    };
    it("gives a model's next call the reservation its last call prepared, and the run's close removes the rest", async () => {
      const { ledger: budget, open } = ledger(10_000);
      budget.openRun('run', null, { prepareAhead: 4 });
      const first = take(budget, 'm', 100);
      const [prepared] = [...open.keys()].filter((id) => id !== first.id);
      expect(open.size).toBe(2);
      const second = take(budget, 'm', 90);
      expect(second.id).toBe(prepared);
      expect(second.amount).toBe(100); // it holds what it was prepared with, the model's largest worst case so far
      // Two calls in flight: two more prepared, one for each.
      expect(open.size).toBe(4);
      budget.settle(first, 40);
      expect(budget.snapshot()).toMatchObject({ spent: 40, reserved: 300, prepared: 200 });
      expect(budget.spendToday()).toEqual({ spent: 40, reserved: 100 });
      budget.closeRun('run');
      await Promise.resolve();
      expect([...open.keys()]).toEqual([second.id]);
      expect(reserved(budget)).toBe(100);
    });
    it('never refuses a call for the room they hold, and makes none the caps have no room for', () => {
      const { ledger: budget, open } = ledger(1000);
      budget.openRun('run', null, { prepareAhead: 4 });
      const first = take(budget, 'm', 400);
      expect(reserved(budget)).toBe(800);
      // 800 + 300 would pass the cap: the prepared 400 is given back, and the call admitted.
      const other = take(budget, 'other', 300);
      expect(reserved(budget)).toBe(1000); // and the room left holds one prepared for the next call of 'other'
      expect([...open.keys()].filter((id) => id !== first.id && id !== other.id)).toHaveLength(1);
      expect(budget.reserve('run', 'third', 1)).toMatchObject({ ok: true });
      expect(reserved(budget)).toBe(702); // 'other' gave its prepared one back; 'third' has one now
      expect(open.size).toBe(4);
      const tight = ledger(700);
      tight.ledger.openRun('run', null, { prepareAhead: 4 });
      expect(tight.ledger.reserve('run', 'm', 400).ok).toBe(true);
      expect(tight.open.size).toBe(1);
      expect(tight.ledger.snapshot().reserved).toBe(400);
    });
    it('gives none to a call once the cap was lowered below what is spent and reserved', () => {
      const { ledger: budget, open } = ledger(1000);
      budget.openRun('run', null, { prepareAhead: 4 });
      take(budget, 'm', 300);
      expect(open.size).toBe(2);
      budget.setDailyCap(500);
      expect(budget.reserve('run', 'm', 300)).toMatchObject({ ok: false, reason: expect.stringContaining('daily budget') });
      expect(budget.snapshot().reserved).toBe(300);
    });
    it('gives back the prepared ones of a run opened again (a resume in the same process)', async () => {
      const { ledger: budget, open } = ledger(10_000);
      budget.openRun('run', null, { prepareAhead: 4 });
      const first = take(budget, 'm', 100);
      expect(open.size).toBe(2);
      budget.openRun('run', null, { prepareAhead: 4 });
      await Promise.resolve();
      expect([...open.keys()]).toEqual([first.id]);
      expect(reserved(budget)).toBe(100);
      budget.settle(first, 50);
      expect(budget.snapshot()).toMatchObject({ reserved: 0, spent: 50 });
    });
    it('holds no more than the run allows, and none for a run opened without', () => {
      const { ledger: budget, open } = ledger(1_000_000);
      budget.openRun('run', null, { prepareAhead: 2 });
      for (let index = 0; index < 5; index++) take(budget, 'm', 10);
      expect(open.size).toBe(5 + 2);
      const plain = ledger(1_000_000);
      plain.ledger.openRun('run', null);
      for (let index = 0; index < 5; index++) plain.ledger.reserve('run', 'm', 10);
      expect(plain.open.size).toBe(5);
    });
    it("never gives a call a reservation prepared on an earlier day: that one was admitted against yesterday's cap", () => {
      let now = new Date('2026-11-23T23:59:59.000Z');
      const open = new Set<string>();
      const budget = new BudgetLedger(
        {
          spentSince: () => 0,
          reservedOn: () => 0,
          runTotals: () => ({ spent: 0, reserved: 0 }),
          addReservation: (reservation) => {
            open.add(reservation.id);
          },
          removeReservation: (id) => {
            open.delete(id);
          },
          discardReservations: (ids) => {
            for (const id of ids) open.delete(id);
          },
        },
        10_000,
        () => now,
      );
      budget.openRun('run', null, { prepareAhead: 4 });
      const first = take(budget, 'm', 100);
      const prepared = [...open].filter((id) => id !== first.id);
      now = new Date('2026-11-24T00:00:01.000Z');
      const next = take(budget, 'm', 100);
      expect(prepared).toHaveLength(1);
      expect(next.id).not.toBe(prepared[0]);
      expect(next.day).toBe('2026-11-24');
    });
  });
  it('names reservations so that two processes on one run never reuse an id', () => {
    const first = ledger(10_000);
    const second = ledger(10_000);
    for (let index = 0; index < 3; index++) {
      first.ledger.reserve('run', 'm', 1);
      second.ledger.reserve('run', 'm', 1);
    }
    expect(new Set([...first.open.keys(), ...second.open.keys()]).size).toBe(6);
  });
});

describe('normalizeRequest', () => {
  it('fits max tokens, temperature, stop sequences and the model id format', () => {
    expect(
      normalizeRequest('Org/Model', { maxTokens: 4096, temperature: 1.5 }, { maxTokens: 1024, temperatureMin: 0, temperatureMax: 1, maxStopSequences: 1, modelIdFormat: 'lowercase' }, ['a', 'b']),
    ).toEqual({
      model: 'org/model',
      maxTokens: 1024,
      temperature: 1,
      stop: ['a'],
      adjustments: ['max_tokens 4096 -> 1024', 'temperature 1.5 -> 1', 'stop sequences 2 -> 1', 'model id Org/Model -> org/model'],
    });
  });
});

describe('makeRedactor', () => {
  it('removes every key by value', () => {
    const redact = makeRedactor(['sk-123456', undefined, '']);
    expect(redact('key sk-123456 and sk-123456!')).toBe('key [redacted] and [redacted]!');
    expect(makeRedactor([])('sk-123456')).toBe('sk-123456');
  });

  it("removes keys from a parsed answer's strings, and leaves an answer without one as it is", () => {
    const redact = makeRedactor(['sk-123456']);
    expect(redactValue({ homeScore: 1, note: 'key sk-123456', list: ['sk-123456'] }, redact)).toEqual({ homeScore: 1, note: 'key [redacted]', list: ['[redacted]'] });
    const clean = { homeScore: 2, awayScore: 0 };
    expect(redactValue(clean, redact)).toBe(clean);
    expect(redactValue(null, redact)).toBeNull();
  });

  it('learns keys added later, the longest first', () => {
    const redact = makeRedactor([]);
    redact.add('sk-late-key');
    redact.add('sk-late-key-longer');
    expect(redact('a sk-late-key-longer b sk-late-key')).toBe('a [redacted] b [redacted]');
  });
});
