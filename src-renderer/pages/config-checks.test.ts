import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_CONFIG } from '../../src-shared/domain/model-config';
import { row } from '../state/test-rows';
import { configText, fieldFromNumber, localConfigProblems, numberFromField } from './config-checks';

const detail = {
  row: row('mistral-7b'),
  fallbackOptions: [
    { id: 'llama-8b', allowed: true, why: null },
    { id: 'gpt-premium', allowed: false, why: 'costs 4.1x mistral-7b, over the 3x ceiling' },
    { id: 'loop-back', allowed: false, why: 'would make a cycle: loop-back → mistral-7b' },
  ],
};

describe('localConfigProblems', () => {
  it('accepts a config within the ceilings with an allowed fallback', () => {
    expect(localConfigProblems(detail, { ...DEFAULT_MODEL_CONFIG, fallback: 'llama-8b' })).toEqual(
      [],
    );
  });

  it('refuses a timeout over the ceiling, itself, cycles and over-ceiling prices', () => {
    expect(localConfigProblems(detail, { ...DEFAULT_MODEL_CONFIG, timeoutMs: 61_000 })).toEqual([
      'timeoutMs: 61 s is over the 60 s ceiling for standard models',
    ]);
    expect(
      localConfigProblems(detail, { ...DEFAULT_MODEL_CONFIG, fallback: 'mistral-7b' }),
    ).toEqual(['fallback: a model cannot fall back to itself']);
    expect(
      localConfigProblems(detail, { ...DEFAULT_MODEL_CONFIG, fallback: 'gpt-premium' }),
    ).toEqual(['fallback: gpt-premium is refused — costs 4.1x mistral-7b, over the 3x ceiling']);
    expect(localConfigProblems(detail, { ...DEFAULT_MODEL_CONFIG, fallback: 'loop-back' })).toEqual(
      ['fallback: loop-back is refused — would make a cycle: loop-back → mistral-7b'],
    );
  });

  it('names a number field left blank or out of range, rather than saving 0', () => {
    const blank = numberFromField('  ');
    expect(blank).toBeNaN();
    expect(fieldFromNumber(blank)).toBe('');
    expect(numberFromField('0')).toBe(0);
    expect(
      localConfigProblems(detail, {
        ...DEFAULT_MODEL_CONFIG,
        timeoutMs: blank,
        maxTokens: blank,
        temperature: blank,
      }),
    ).toEqual([
      'timeoutMs: enter a whole number of milliseconds, from 1000 to 60000',
      'maxTokens: enter a whole number of tokens, from 1 to 200000',
      'temperature: enter a number from 0 to 5',
    ]);
    expect(
      localConfigProblems(detail, {
        ...DEFAULT_MODEL_CONFIG,
        timeoutMs: 999,
        maxTokens: 1.5,
        temperature: 5.1,
        stream: true,
        firstTokenTimeoutMs: 500,
      }),
    ).toEqual([
      'timeoutMs: enter a whole number of milliseconds, from 1000 to 60000',
      'firstTokenTimeoutMs: enter a whole number of milliseconds, at least 1000 (or leave it empty for the default)',
      'maxTokens: enter a whole number of tokens, from 1 to 200000',
      'temperature: enter a number from 0 to 5',
    ]);
    // 0 is a temperature, not a blank.
    expect(localConfigProblems(detail, { ...DEFAULT_MODEL_CONFIG, temperature: 0 })).toEqual([]);
  });

  it('refuses a first-token deadline past the call timeout, and keeps the field in the JSON', () => {
    const config = {
      ...DEFAULT_MODEL_CONFIG,
      stream: true,
      timeoutMs: 10_000,
      firstTokenTimeoutMs: 20_000,
    };
    expect(localConfigProblems(detail, config)).toEqual([
      "firstTokenTimeoutMs: 20 s is over the call's timeout of 10 s",
    ]);
    // The JSON editor round-trips through configText: an unlisted field would be lost on save.
    expect(JSON.parse(configText(config)).firstTokenTimeoutMs).toBe(20_000);
    expect('firstTokenTimeoutMs' in JSON.parse(configText(DEFAULT_MODEL_CONFIG))).toBe(false);
  });

  it('allows 90 s for premium models', () => {
    expect(
      localConfigProblems(
        { ...detail, row: row('p', { premium: true }) },
        { ...DEFAULT_MODEL_CONFIG, timeoutMs: 90_000 },
      ),
    ).toEqual([]);
  });
});
