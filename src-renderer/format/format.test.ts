import { describe, expect, it } from 'vitest';
import { formatMs, formatPercent, formatUsd, formatWhen } from './index';

describe('formatUsd', () => {
  it('says unknown and unpriced in words instead of $0', () => {
    expect(formatUsd(null)).toBe('unknown');
    expect(formatUsd(0.5, { unpriced: true })).toBe('unpriced');
    expect(formatUsd(0)).toBe('$0.00');
  });

  it('keeps small amounts readable', () => {
    expect(formatUsd(0.000123)).toBe('$0.00012');
    expect(formatUsd(0.0000012)).toBe('<$0.0001');
    expect(formatUsd(0.0421)).toBe('$0.0421');
    expect(formatUsd(4.2)).toBe('$4.20');
    expect(formatUsd(1234.4)).toBe('$1,234');
  });
});

describe('other figures', () => {
  it('formats percent, latency and relative times', () => {
    expect(formatPercent(0.949)).toBe('94.9%');
    expect(formatPercent(null)).toBe('—');
    expect(formatMs(850)).toBe('850 ms');
    expect(formatMs(2345)).toBe('2.35 s');
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatWhen('2026-01-01T11:57:00Z', now)).toBe('3 min ago');
    expect(formatWhen('2025-12-30T08:00:00Z', now)).toBe('2025-12-30 08:00 UTC');
    expect(formatWhen(null, now)).toBe('never');
  });
});
