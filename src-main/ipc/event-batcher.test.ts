import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BatchedEvent, createEventBatcher } from './event-batcher';

describe('event batcher', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('turns a 10,000-event burst over one second into at most ~10 flushes that keep the latest state', () => {
    const flushes: { at: number; events: BatchedEvent[] }[] = [];
    const batcher = createEventBatcher({
      send: (events) => flushes.push({ at: Date.now(), events }),
    });
    for (let index = 1; index <= 10_000; index++) {
      const runId = `run-${index % 3}`;
      batcher.emit('run.progress', {
        runId,
        kind: 'canary',
        done: index,
        total: 10_000,
        succeeded: index,
        viaFallback: 0,
        failed: 0,
        cancelled: 0,
        costUsd: index / 1e6,
        waiting: null,
        unfinishedModels: [],
      });
      batcher.emit('fleet.changed', { modelIds: [`model-${index % 50}`] });
      // 10,000 events spread over one second: one every 0.1 ms.
      if (index % 10 === 0) vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(1_000);
    expect(flushes.length).toBeGreaterThanOrEqual(10);
    expect(flushes.length).toBeLessThanOrEqual(11);
    for (let index = 1; index < flushes.length; index++)
      expect(flushes[index]!.at - flushes[index - 1]!.at).toBeGreaterThanOrEqual(100);
    for (const flush of flushes) {
      // One progress per run, one merged fleet.changed.
      expect(flush.events.filter((event) => event.event === 'fleet.changed')).toHaveLength(1);
      expect(
        flush.events.filter((event) => event.event === 'run.progress').length,
      ).toBeLessThanOrEqual(3);
    }
    const last = flushes
      .at(-1)!
      .events.filter((event) => event.event === 'run.progress')
      .map((event) => event.payload as { done: number });
    expect(Math.max(...last.map((progress) => progress.done))).toBe(10_000);
    const models = new Set(
      flushes.flatMap((flush) =>
        flush.events.flatMap((event) =>
          event.event === 'fleet.changed' ? (event.payload as { modelIds: string[] }).modelIds : [],
        ),
      ),
    );
    expect(models.size).toBe(50);
  });

  it("sends the first event of a quiet period at once and keeps a run's last progress before its finish", () => {
    const flushes: BatchedEvent[][] = [];
    const batcher = createEventBatcher({ send: (events) => flushes.push(events) });
    batcher.emit('run.progress', {
      runId: 'r',
      kind: 'canary',
      done: 1,
      total: 2,
      succeeded: 1,
      viaFallback: 0,
      failed: 0,
      cancelled: 0,
      costUsd: 0,
      waiting: null,
      unfinishedModels: [],
    });
    vi.advanceTimersByTime(0);
    expect(flushes).toHaveLength(1);
    batcher.emit('run.progress', {
      runId: 'r',
      kind: 'canary',
      done: 2,
      total: 2,
      succeeded: 2,
      viaFallback: 0,
      failed: 0,
      cancelled: 0,
      costUsd: 0,
      waiting: null,
      unfinishedModels: [],
    });
    batcher.emit('run.finished', { runId: 'r', kind: 'canary', status: 'completed' });
    vi.advanceTimersByTime(50);
    expect(flushes).toHaveLength(1);
    vi.advanceTimersByTime(50);
    expect(flushes[1]!.map((event) => event.event)).toEqual(['run.progress', 'run.finished']);
  });

  it('never drops or merges notifications', () => {
    const flushes: BatchedEvent[][] = [];
    const batcher = createEventBatcher({ send: (events) => flushes.push(events) });
    for (let index = 0; index < 3; index++) {
      batcher.emit('notification', {
        id: `n${index}`,
        level: 'info',
        kind: 'run-finished',
        title: 't',
        body: 'b',
        at: 'now',
      });
    }
    batcher.flush();
    expect(flushes[0]!.map((event) => (event.payload as { id: string }).id)).toEqual([
      'n0',
      'n1',
      'n2',
    ]);
  });

  it('sends nothing after close', () => {
    const send = vi.fn();
    const batcher = createEventBatcher({ send });
    batcher.close();
    batcher.emit('fleet.changed', { modelIds: ['a'] });
    vi.advanceTimersByTime(1_000);
    expect(send).not.toHaveBeenCalled();
  });
});
