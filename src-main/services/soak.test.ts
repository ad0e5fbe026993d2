import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness } from '../../test-support/engine-harness';
import { runSoak } from './soak';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('soak runs', () => {
  it('repeats canaries until the duration has passed and reports each round, drift and memory', async () => {
    harness = await openHarness({ models: [{ id: 'solid', profile: { style: 'clean' } }, { id: 'broken', profile: { style: 'garbage' } }] });
    // Each reading of the clock moves it a second: rounds start at 1 s, 2 s and 3 s into a 3 s soak.
    let clock = 0;
    const report = await runSoak(harness.host, { durationMs: 3_000, fixtures: 2, concurrency: 4, now: () => (clock += 1_000) });
    expect(report.rounds.map((round) => [round.round, round.predictions, round.failed, round.failureRate])).toEqual([
      [1, 4, 2, 0.5],
      [2, 4, 2, 0.5],
      [3, 4, 2, 0.5],
    ]);
    expect(new Set(report.rounds.map((round) => harness!.host.runs.getRun(round.runId)?.kind))).toEqual(new Set(['soak']));
    expect(report).toMatchObject({ models: ['broken', 'solid'], totals: { predictions: 12, failed: 6, failureRate: 0.5 }, drift: { failureRate: 0 }, cancelled: false });
    expect(report.memory.peakRssMb).toBeGreaterThanOrEqual(report.memory.startRssMb);
    expect(report.rounds[0]!.p50LatencyMs).toEqual(expect.any(Number));
  });
});
