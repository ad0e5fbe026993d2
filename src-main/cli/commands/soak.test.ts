import { describe, expect, it } from 'vitest';
import type { SoakReport, SoakRound } from '../../services/soak';
import { soakText } from './soak';

const round = (number: number, latency: { p50: number; p95: number; ttft: number | null }): SoakRound => ({
  round: number,
  runId: `soak-${number}`,
  startedAt: '2026-01-01T00:00:00.000Z',
  predictions: 10,
  failed: 0,
  failureRate: 0,
  p50TtftMs: latency.ttft,
  p50LatencyMs: latency.p50,
  p95LatencyMs: latency.p95,
  rssMb: 120,
  heapUsedMb: 40,
});

describe('soakText', () => {
  it('prints latency drift in whole milliseconds, as the rounds print latency', () => {
    const report: SoakReport = {
      models: ['together/llama-3.3-70b'],
      durationMs: 60_000,
      rounds: [round(1, { p50: 812.5, p95: 1490.2, ttft: 240.4 }), round(2, { p50: 824.8456, p95: 1474.8107, ttft: null })],
      drift: { p50LatencyMs: 12.3456, p95LatencyMs: -15.3893, p50TtftMs: -0.4, failureRate: 0 },
      memory: { startRssMb: 89, endRssMb: 136, peakRssMb: 137.4, growthMb: 47 },
      totals: { predictions: 20, failed: 0, failureRate: 0 },
      cancelled: false,
    };
    expect(soakText(report)).toBe(
      'round   1 soak-1: 0% failed, p50 813 ms, p95 1490 ms, ttft p50 240 ms, rss 120 MB\n' +
        'round   2 soak-2: 0% failed, p50 825 ms, p95 1475 ms, ttft p50 -, rss 120 MB\n' +
        'drift (last - first): p50 12 ms, p95 -15 ms, ttft 0 ms, failure rate 0; memory 89 -> 136 MB (peak 137.4)\n',
    );
  });
});
