import { describe, expect, it } from 'vitest';
import { chipStatus } from './chip-status';
import { row } from './test-rows';

describe('chipStatus', () => {
  it('reads an untested model with clean canaries but not yet enough as validating', () => {
    expect(chipStatus(row('a', { reason: 'validating: 1 of 3 clean canaries on config v1' }))).toBe(
      'validating',
    );
  });

  it('keeps an untested model that no canary vouched for untested', () => {
    expect(chipStatus(row('a', { reason: 'no canary has run on config v1 yet' }))).toBe('untested');
    expect(chipStatus(row('a', { reason: null }))).toBe('untested');
  });

  it('is the status itself for every other status, whatever the reason says', () => {
    expect(
      chipStatus(row('a', { status: 'degraded', reason: 'validating: 1 of 3 clean canaries' })),
    ).toBe('degraded');
    expect(chipStatus(row('a', { status: 'working', reason: null }))).toBe('working');
  });
});
