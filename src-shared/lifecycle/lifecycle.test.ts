import { describe, expect, it } from 'vitest';
import { diffFields } from './config-diff';
import { deriveStatus, type RunFact, type StatusFacts } from './derive-status';
import { estimateFleetPass } from './fleet-estimate';
import { blastRadius, gateVerdict, parseChangeRef } from './regression-gate';
import { seededSample } from './seeded-sample';
import { percentile, timeoutTier, timeoutTierLabel } from './stats';
import { suggestUnfixable } from './unfixable';

const run = (at: string, own: number, predictions = 5, extra: Partial<RunFact> = {}): RunFact => ({
  runId: `run-${at}`,
  kind: 'canary',
  startedAt: `2030-01-${at}T00:00:00.000Z`,
  configVersion: 2,
  currentConfig: true,
  predictions,
  own,
  viaFallback: 0,
  qualityWarnings: [],
  topError: own < predictions ? 'parse_error' : null,
  ...extra,
});

const facts = (runs: RunFact[], extra: Partial<StatusFacts> = {}): StatusFacts => ({
  active: true,
  verdict: { status: 'active', reason: null, retestAt: null },
  health: { disabled: false, reason: null },
  configVersion: 2,
  runs,
  ...extra,
});

describe('deriveStatus', () => {
  it('never counts a clean one-fixture check toward working, and counts a failed one', () => {
    const check = (at: string, own: number) => run(at, own, 1, { kind: 'check' });
    // Three clean checks of a model stuck on 1-0 (one answer each: nothing to be stuck on).
    expect(deriveStatus(facts([check('03', 1), check('02', 1), check('01', 1)]))).toMatchObject({
      status: 'untested',
      reason: expect.stringContaining('only checks have run on config v2'),
      lastValidated: '2030-01-03T00:00:00.000Z',
      cleanStreak: 0,
    });
    // Two clean canaries and a clean check: still validating, 2 of 3.
    expect(deriveStatus(facts([check('03', 1), run('02', 5), run('01', 5)]))).toMatchObject({
      status: 'untested',
      reason: 'validating: 2 of 3 clean canaries on config v2',
      cleanStreak: 2,
    });
    // A clean check between clean canaries does not break the streak either.
    expect(deriveStatus(facts([run('04', 5), check('03', 1), run('02', 5), run('01', 5)])).status).toBe(
      'working',
    );
    // A failed check is a failure like any other.
    expect(deriveStatus(facts([check('04', 0), run('03', 5), run('02', 5), run('01', 5)]))).toMatchObject({
      status: 'failing',
      cleanStreak: 0,
    });
    // ...and a check that answers after it says the model answers again, not that it still fails.
    expect(deriveStatus(facts([check('06', 1), check('05', 1), check('04', 0), run('03', 5)]))).toMatchObject({
      status: 'degraded',
      reason: 'recovering: a check answered since the last failure on config v2; a canary decides working',
      lastValidated: '2030-01-06T00:00:00.000Z',
    });
  });

  it('needs 3 consecutive clean runs on the current config for working, dated from the third', () => {
    expect(deriveStatus(facts([run('03', 5), run('02', 5), run('01', 5)]))).toEqual({
      status: 'working',
      reason: '3 consecutive clean canaries on config v2',
      workingSince: '2030-01-03T00:00:00.000Z',
      lastValidated: '2030-01-03T00:00:00.000Z',
      cleanStreak: 3,
    });
    expect(deriveStatus(facts([run('02', 5), run('01', 5)])).status).toBe('untested');
    expect(
      deriveStatus(facts([run('03', 5), run('02', 5), run('01', 5, 5, { currentConfig: false })]))
        .status,
    ).toBe('untested');
  });

  it('keeps one blip from flipping a working model to failing, and one good run from proving a failing one', () => {
    expect(
      deriveStatus(facts([run('04', 4), run('03', 5), run('02', 5), run('01', 5)])),
    ).toMatchObject({
      status: 'degraded',
      reason: '4/5 answered by the model; errors: parse_error',
    });
    expect(deriveStatus(facts([run('02', 5), run('01', 0)]))).toMatchObject({
      status: 'degraded',
      reason: 'recovering: 1 of 3 clean canaries since the last failure on config v2',
    });
    expect(deriveStatus(facts([run('01', 0, 5, { viaFallback: 5 })]))).toMatchObject({
      status: 'failing',
      reason: '0/5 answered by the model (5 more via fallback); last error: parse_error',
    });
    expect(
      deriveStatus(facts([run('01', 5, 5, { qualityWarnings: ['stuck on 1-0'] })])),
    ).toMatchObject({ status: 'degraded', reason: 'quality: stuck on 1-0' });
  });

  it('puts operator verdicts before the automatic disable, and that before the runs', () => {
    const clean = [run('03', 5), run('02', 5), run('01', 5)];
    expect(
      deriveStatus(
        facts(clean, {
          active: false,
          verdict: { status: 'inactive', reason: 'too slow', retestAt: null },
        }),
      ),
    ).toMatchObject({ status: 'inactive', reason: 'too slow' });
    expect(
      deriveStatus(
        facts(clean, {
          verdict: { status: 'unfixable', reason: 'garbage', retestAt: '2030-04-01T00:00:00.000Z' },
          health: { disabled: true, reason: 'x' },
        }),
        { now: '2030-05-01T00:00:00.000Z' },
      ),
    ).toMatchObject({ status: 'unfixable', reason: 'garbage; re-test due since 2030-04-01' });
    expect(
      deriveStatus(
        facts(clean, {
          health: {
            disabled: true,
            reason: 'auto-disabled after 5 consecutive failed predictions (last: timeout)',
          },
        }),
      ),
    ).toMatchObject({ status: 'disabled' });
    expect(deriveStatus(facts([]))).toMatchObject({
      status: 'untested',
      reason: 'no canary has run on config v2 yet',
    });
  });
});

describe('suggestUnfixable', () => {
  const attempt = (
    version: number,
    own: number,
    createdAt = `2030-01-0${version}T00:00:00.000Z`,
  ) => ({ version, note: `try ${version}`, createdAt, predictions: 10, own });
  const base = {
    fixAttempts: [attempt(1, 0)],
    lastWorkedAt: null,
    recentAttempts: 0,
    recentServerErrors: 0,
    costPerSuccessMicros: null,
    fleetMedianCostPerSuccessMicros: null,
  };

  it('names 5 fix attempts under 50% since the model last worked, with each success rate', () => {
    const attempts = [
      attempt(1, 9),
      attempt(2, 1),
      attempt(3, 2),
      attempt(4, 4),
      attempt(5, 0),
      attempt(6, 3),
    ];
    expect(
      suggestUnfixable({
        ...base,
        fixAttempts: attempts,
        lastWorkedAt: '2030-01-01T12:00:00.000Z',
      }),
    ).toEqual({
      reasons: [
        '5 fix attempts since it last worked all stayed under 50% success (v2 10%, v3 20%, v4 40%, v5 0%, v6 30%)',
      ],
    });
    expect(suggestUnfixable({ ...base, fixAttempts: attempts.slice(0, 5) })).toBeNull();
    expect(
      suggestUnfixable({ ...base, fixAttempts: [...attempts.slice(0, 5), attempt(6, 5)] }),
    ).toBeNull();
  });

  it('flags an unstable provider (30% 5xx) and a cost per success over 10x the fleet median', () => {
    expect(
      suggestUnfixable({
        ...base,
        recentAttempts: 20,
        recentServerErrors: 6,
        costPerSuccessMicros: 1_100,
        fleetMedianCostPerSuccessMicros: 100,
      }),
    ).toEqual({
      reasons: [
        'provider unstable: 6 of its last 20 calls were 5xx (30%)',
        'cost per success $0.001100 is 11.0x the fleet median $0.000100 (limit 10x)',
      ],
    });
    expect(
      suggestUnfixable({
        ...base,
        recentAttempts: 9,
        recentServerErrors: 9,
        costPerSuccessMicros: 1_000,
        fleetMedianCostPerSuccessMicros: 100,
      }),
    ).toBeNull();
  });
});

describe('regression gate rules', () => {
  const models = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((id) => ({
    id,
    active: id !== 'h',
    promptVariant: id === 'a' || id === 'b' ? 'JSON_STRICT' : 'BASE',
    status: id === 'g' ? 'failing' : 'working',
  }));

  it('tests every active model for a component change, and the changed model plus 5 working ones otherwise', () => {
    expect(blastRadius({ kind: 'component', name: 'rules', version: 2 }, models)).toMatchObject({
      blastRadius: 'fleet',
      tested: ['a', 'b', 'c', 'd', 'e', 'f', 'g'],
    });
    const one = blastRadius({ kind: 'model', name: 'g', version: 4 }, models);
    expect(one.tested).toHaveLength(6);
    expect(one.tested[0]).toBe('g');
    expect(['a', 'b', 'c', 'd', 'e', 'f']).toEqual(expect.arrayContaining(one.tested.slice(1)));
    expect(blastRadius({ kind: 'model', name: 'g', version: 4 }, [...models].reverse())).toEqual(
      one,
    );
    const variant = blastRadius({ kind: 'variant', name: 'JSON_STRICT', version: 2 }, models);
    expect(variant).toMatchObject({ blastRadius: 'variant', affected: ['a', 'b'] });
    expect(variant.tested.slice(2).every((id) => ['c', 'd', 'e', 'f'].includes(id))).toBe(true);
  });

  it('draws the same sample for the same seed and another for another seed', () => {
    const ids = Array.from({ length: 30 }, (_, index) => `m-${index}`);
    expect(seededSample(ids, 5, 42)).toEqual(seededSample([...ids].reverse(), 5, 42));
    expect(seededSample(ids, 5, 42)).not.toEqual(seededSample(ids, 5, 43));
    expect(seededSample(['x'], 5, 1)).toEqual(['x']);
  });

  it('calls a working model that now misses a fixture a regression, and a failing one that now answers all fixed', () => {
    const clean = { predictions: 5, own: 5, clean: true };
    expect(gateVerdict(clean, { predictions: 5, own: 4, warnings: [] })).toEqual({
      verdict: 'regression',
      baselineSuccessRate: 1,
      successRate: 0.8,
    });
    expect(gateVerdict(clean, { predictions: 5, own: 5, warnings: [] }).verdict).toBe('ok');
    expect(gateVerdict({ predictions: 5, own: 2, clean: false }, { predictions: 5, own: 5, warnings: [] }).verdict).toBe(
      'fixed',
    );
    expect(gateVerdict({ predictions: 5, own: 2, clean: false }, { predictions: 5, own: 1, warnings: [] }).verdict).toBe(
      'still_failing',
    );
    expect(gateVerdict(null, { predictions: 5, own: 0, warnings: [] }).verdict).toBe('new');
    // Nothing sent (no key, an open circuit): untested, whatever the baseline said.
    for (const baseline of [clean, { predictions: 5, own: 2, clean: false }, null]) {
      expect(gateVerdict(baseline, null).verdict).toBe('untested');
      expect(gateVerdict(baseline, { predictions: 0, own: 0, warnings: [] }).verdict).toBe('untested');
    }
  });

  it('does not call a baseline with a quality warning working, even when every fixture was answered', () => {
    expect(gateVerdict({ predictions: 5, own: 5, clean: false }, { predictions: 5, own: 4, warnings: [] }).verdict).toBe(
      'still_failing',
    );
  });

  it("judges the gate's own run like a baseline: a quality warning is a regression of a working model, never a fix", () => {
    const stuck = { predictions: 5, own: 5, warnings: ['stuck: 1-0 in 5 of 5 fixtures'] };
    expect(gateVerdict({ predictions: 5, own: 5, clean: true }, stuck)).toEqual({
      verdict: 'regression',
      baselineSuccessRate: 1,
      successRate: 1,
    });
    expect(gateVerdict({ predictions: 5, own: 2, clean: false }, stuck).verdict).toBe('still_failing');
    expect(gateVerdict(null, stuck).verdict).toBe('new');
  });

  it('reads the change notation, the version being the last @N', () => {
    expect(parseChangeRef('variant:JSON_STRICT@3')).toEqual({
      kind: 'variant',
      name: 'JSON_STRICT',
      version: 3,
    });
    expect(parseChangeRef('model:together/llama@v4')).toEqual({
      kind: 'model',
      name: 'together/llama',
      version: 4,
    });
    expect(parseChangeRef('model:org/m@beta')).toEqual({
      kind: 'model',
      name: 'org/m@beta',
      version: undefined,
    });
    expect(parseChangeRef('prompt:x')).toEqual({
      error:
        'cannot read change "prompt:x": write variant:NAME[@N], component:KEY[@N] or model:ID[@N]',
    });
  });
});

describe('estimateFleetPass', () => {
  const hop = (id: string, provider: string, timeoutMs: number) => ({
    id,
    provider,
    timeoutMs,
    maxTokens: 100,
    pricing: { promptPer1M: 1, completionPer1M: 2 },
    observed: {
      p50LatencyMs: null,
      p50PromptTokens: null,
      p50CompletionTokens: null,
      p99CompletionTokens: null,
    },
  });

  it('adds retries and fallback hops to the worst case and warns past the window', () => {
    const estimate = estimateFleetPass({
      models: [
        { ...hop('a', 'p', 60_000), chain: [hop('b', 'p', 30_000)] },
        { ...hop('b', 'p', 30_000), chain: [] },
      ],
      providers: [{ id: 'p', maxConcurrency: 1 }],
      concurrency: 8,
      maxAttempts: 3,
      promptTokens: 100,
      windowMs: 5 * 60_000,
    });
    expect(estimate).toEqual({
      models: 2,
      expected: { wallMs: 45_000, costMicros: 2 * (100 + 50 * 2) },
      worst: { wallMs: 3 * (60_000 + 30_000 + 30_000), costMicros: 3 * 3 * (100 + 100 * 2) },
      byProvider: [
        { provider: 'p', calls: 3, maxConcurrency: 1, expectedMs: 45_000, worstMs: 360_000 },
      ],
      unpriced: [],
      windowMs: 300_000,
      warning:
        'worst case 6.0 min passes the 5.0 min window: lower timeouts, retries or fallback depth, or raise provider limits',
    });
  });
});

describe('small rules', () => {
  it('diffs configs field by field and buckets timeouts into tiers', () => {
    expect(diffFields({ a: 1, b: ['x'], c: null }, { a: 1, b: ['y'], d: 2 })).toEqual([
      { field: 'b', from: ['x'], to: ['y'] },
      { field: 'd', from: null, to: 2 },
    ]);
    expect([20_000, 30_000, 30_001, 60_000, 90_000, 120_000].map(timeoutTier)).toEqual([
      30_000, 30_000, 45_000, 60_000, 90_000, 90_000,
    ]);
    // An 8 s timeout is in the first tier, which says what it holds: not "30 s".
    expect([8_000, 45_000, 60_000, 90_000].map((ms) => timeoutTierLabel(timeoutTier(ms)))).toEqual([
      '≤ 30 s',
      '31–45 s',
      '46–60 s',
      '61–90 s',
    ]);
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([], 50)).toBeNull();
  });
});
