import { describe, expect, it } from 'vitest';
import { checkFleetFile, formatProblem } from './fleet-file';
import { firstTokenTimeoutMs } from './model-config';

const provider = { id: 'p1', baseUrl: 'http://127.0.0.1:9/v1' };
const model = (
  id: string,
  config: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
) => ({
  id,
  provider: 'p1',
  providerModelId: id,
  pricing: { promptPer1M: 1, completionPer1M: 1 },
  config,
  ...extra,
});

function problemsOf(raw: unknown): string[] {
  const result = checkFleetFile(raw);
  return result.ok ? [] : result.problems.map(formatProblem);
}

describe('checkFleetFile', () => {
  it('fills documented defaults for a minimal file', () => {
    const result = checkFleetFile({
      version: 1,
      providers: [provider],
      models: [{ id: 'm', provider: 'p1', providerModelId: 'x' }],
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fleet.task).toBe('football-score');
    expect(result.fleet.budget).toEqual({ dailyUsd: 5, fallbackCostCeiling: 3 });
    expect(result.fleet.providers[0]).toMatchObject({
      kind: 'openai-compatible',
      maxConcurrency: 8,
      simulated: false,
    });
    expect(result.fleet.models[0]).toMatchObject({
      pricing: null,
      premium: false,
      active: true,
      config: {
        promptVariant: 'BASE',
        timeoutMs: 30000,
        responseHandler: 'auto',
        fallback: null,
        stream: false,
        maxTokens: 512,
        temperature: 0.2,
      },
    });
  });

  it('names a fallback cycle with its path', () => {
    expect(
      problemsOf({
        version: 1,
        providers: [provider],
        models: [model('m-a', { fallback: 'm-b' }), model('m-b', { fallback: 'm-a' })],
      }),
    ).toEqual(['models[0].config.fallback: fallback cycle: m-a -> m-b -> m-a']);
  });

  it('refuses a self fallback, an unknown fallback and a chain deeper than 3', () => {
    const problems = problemsOf({
      version: 1,
      providers: [provider],
      models: [
        model('self', { fallback: 'self' }),
        model('lost', { fallback: 'nowhere' }),
        model('d0', { fallback: 'd1' }),
        model('d1', { fallback: 'd2' }),
        model('d2', { fallback: 'd3' }),
        model('d3', { fallback: 'd4' }),
        model('d4'),
      ],
    });
    expect(problems).toEqual([
      'models[0].config.fallback: fallback cycle: self -> self (a model cannot fall back to itself)',
      'models[1].config.fallback: unknown fallback model "nowhere"',
      'models[2].config.fallback: fallback chain deeper than 3: d0 -> d1 -> d2 -> d3 -> d4',
    ]);
  });

  it('allows a chain exactly 3 deep', () => {
    const result = checkFleetFile({
      version: 1,
      providers: [provider],
      models: [
        model('a', { fallback: 'b' }),
        model('b', { fallback: 'c' }),
        model('c', { fallback: 'd' }),
        model('d'),
      ],
    });
    expect(result.ok).toBe(true);
  });

  it('refuses a timeout over the ceiling, allowing 90 s only for premium models', () => {
    expect(
      problemsOf({
        version: 1,
        providers: [provider],
        models: [
          model('slow', { timeoutMs: 61000 }),
          model('premium', { timeoutMs: 90000 }, { premium: true }),
          model('too', { timeoutMs: 90001 }, { premium: true }),
        ],
      }),
    ).toEqual([
      'models[0].config.timeoutMs: timeout 61000 ms is over the 60000 ms ceiling (90000 ms is allowed only for premium models)',
      'models[2].config.timeoutMs: timeout 90001 ms is over the 90000 ms ceiling for premium models',
    ]);
  });

  it("takes a first-token timeout up to the call's timeout and refuses one past it; without one, streams wait at most 15 s", () => {
    const fleet = {
      version: 1,
      providers: [provider],
      models: [
        model('quick', { stream: true, timeoutMs: 30000, firstTokenTimeoutMs: 5000 }),
        model('past', { stream: true, timeoutMs: 10000, firstTokenTimeoutMs: 20000 }),
      ],
    };
    expect(problemsOf(fleet)).toEqual([
      "models[1].config.firstTokenTimeoutMs: first-token timeout 20000 ms is over the call's timeout of 10000 ms (got 20000)",
    ]);
    const result = checkFleetFile({ ...fleet, models: [fleet.models[0], model('plain', { timeoutMs: 8000 }), model('long')] });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.fleet.models.map((entry) => firstTokenTimeoutMs(entry.config))).toEqual([5000, 8000, 15000]);
    // Files written before the field existed read (and export) exactly as before.
    expect('firstTokenTimeoutMs' in result.fleet.models[1]!.config).toBe(false);
  });

  it('lists every shape problem with its path and the offending value', () => {
    const problems = problemsOf({
      version: 1,
      providers: [{ id: 'p1' }],
      models: [
        { id: 'm', provider: 'p1' },
        { id: 'n', provider: 'nope', providerModelId: 'x', config: { timeoutMs: 'fast' } },
      ],
    });
    expect(problems).toEqual([
      'providers[0].baseUrl: required field is missing',
      'models[0].providerModelId: required field is missing',
      'models[1].config.timeoutMs: Invalid input: expected number, received string (got "fast")',
    ]);
  });

  it('cross-checks the well-formed entries of a file that also has shape errors', () => {
    const problems = problemsOf({
      version: 1,
      providers: [provider, { id: 'p2' }],
      models: [
        model('a', { fallback: 'b' }),
        model('b', { fallback: 'a' }),
        { id: 'broken', provider: 'p1', config: { fallback: 'a' } },
        model('c', { fallback: 'broken' }),
        { ...model('d', { timeoutMs: 75000 }), provider: 'p2' },
        model('e', { fallback: 'gone' }),
      ],
    });
    expect(problems).toEqual([
      'providers[1].baseUrl: required field is missing',
      'models[2].providerModelId: required field is missing',
      'models[4].config.timeoutMs: timeout 75000 ms is over the 60000 ms ceiling (90000 ms is allowed only for premium models)',
      'models[0].config.fallback: fallback cycle: a -> b -> a',
      'models[5].config.fallback: unknown fallback model "gone"',
    ]);
  });

  it('names an unknown provider', () => {
    expect(
      problemsOf({
        version: 1,
        providers: [provider],
        models: [model('a'), { ...model('b'), provider: 'nope' }],
      }),
    ).toEqual(['models[1].provider: unknown provider "nope"']);
  });

  it('refuses duplicate ids and unknown fields', () => {
    expect(
      problemsOf({ version: 1, providers: [provider, provider], models: [model('a'), model('a')] }),
    ).toEqual(['providers[1].id: duplicate provider "p1"', 'models[1].id: duplicate model id "a"']);
    expect(
      problemsOf({ version: 1, providers: [provider], models: [{ ...model('a'), colour: 'red' }] }),
    ).toEqual(['models[0].colour: unknown field']);
  });

  it('refuses a wrong version', () => {
    expect(problemsOf({ version: 2, providers: [provider] })).toEqual([
      'version: Invalid input: expected 1 (got 2)',
    ]);
  });

  it('warns, without refusing, about a fallback priced above the cost ceiling', () => {
    const result = checkFleetFile({
      version: 1,
      providers: [provider],
      models: [
        model('cheap', { fallback: 'dear' }),
        { ...model('dear'), pricing: { promptPer1M: 1, completionPer1M: 7 } },
      ],
    });
    expect(result.ok).toBe(true);
    expect(result.warnings.map(formatProblem)).toEqual([
      'models[0].config.fallback: fallback "dear" costs 7.0x "cheap", over the 3x ceiling: the engine will refuse it',
    ]);
  });
});
