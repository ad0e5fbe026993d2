import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src-shared/domain';
import type { ErrorClass } from '../../src-shared/errors';
import { referenceFacts } from '../../test-support/item-facts-reference';
import { perTestScratch } from '../../test-support/scratch';
import { type Db, openDatabase } from './database';
import { LifecycleRepository } from './lifecycle-repository';
import { RunRepository } from './run-repository';

const scratch = perTestScratch('fleetdeck-facts-');

/** A fresh workspace database, closed after the test. */
function openScratch(): { db: Db; dir: string } {
  const dir = scratch.dir();
  const db = openDatabase(dir);
  scratch.defer(() => db.close());
  return { db, dir };
}

/** A small deterministic generator (mulberry32), so a failure names the same records every time. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MODELS = ['a/one', 'b/two', 'c/three', 'd/four'];
const CLASSES: ErrorClass[] = [
  'timeout',
  'rate_limited',
  'server_error',
  'parse_error',
  'schema_error',
  'cancelled',
];

/** Runs whose items retried, fell back, failed, lost their usage or were cut short, attempts interleaved. */
function fillHistory(
  runs: RunRepository,
  next: () => number,
  runIndexes: readonly number[] = [...Array(12).keys()],
): void {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const kinds = ['canary', 'regression', 'compare', 'check', 'probe'] as const;
  for (const run of runIndexes) {
    const runId = `run-${String(run).padStart(2, '0')}`;
    // Two runs share each start time: the order falls back to the run id.
    const startedAt = new Date(Date.UTC(2026, 10, 1 + Math.floor(run / 2))).toISOString();
    if (!runs.getRun(runId))
      runs.createRun({
        id: runId,
        kind: pick(kinds),
        task: 'football-score',
        items: [],
        pinnedVersions: {},
        budgetMicros: null,
        startedAt,
      });
    const attempts: CallRecord[] = [];
    for (let item = 0; item < 10; item++) {
      const intended = pick(MODELS);
      const fixtureId = next() < 0.2 ? `fx-${item}+fx-${item + 1}` : `fx-${item}`;
      const itemKey = `${intended}/${fixtureId}`;
      const count = 1 + Math.floor(next() * 4);
      for (let index = 0; index < count; index++) {
        // Some items never reach their own model (disabled): their first attempt is a fallback's.
        const depth = index === 0 ? (next() < 0.1 ? 1 : 0) : pick([0, 0, 1, 2]);
        const success = next() < 0.5;
        const httpStatus = next() < 0.15 ? null : success ? 200 : pick([200, 429, 500, 503, 404]);
        attempts.push({
          runId,
          itemKey,
          fixtureId,
          intendedModel: intended,
          actualModel: depth === 0 ? intended : pick(MODELS),
          fallbackDepth: depth,
          fallbackReason: depth === 0 ? null : 'server_error',
          attempt: next() < 0.1 ? 0 : index + 1,
          configVersion: 1 + Math.floor(next() * 3),
          promptVariant: 'BASE',
          timeoutMs: pick([30_000, 45_000, 60_000]),
          startedAt: new Date(Date.parse(startedAt) + Math.floor(next() * 60_000)).toISOString(),
          ttftMs: next() < 0.5 ? null : Math.round(next() * 900) / 3,
          latencyMs: Math.round(next() * 5000) / 7,
          status: success ? 'success' : 'failure',
          final: index === count - 1 ? next() < 0.9 : next() < 0.1,
          errorClass: success ? null : pick(CLASSES),
          errorMessage: success ? null : 'failed',
          httpStatus,
          promptTokens: next() < 0.2 ? null : Math.floor(next() * 900),
          completionTokens: next() < 0.2 ? null : Math.floor(next() * 300),
          reasoningTokens: null,
          costMicros: next() < 0.2 ? null : Math.floor(next() * 5000),
          estimatedCostMicros: null,
          replyLength: 10,
          replyExcerpt: '{}',
          reasoningExcerpt: null,
          parsedValue: null,
          coercions: [],
          parseSteps: [],
        });
      }
    }
    // Items' attempts are written as their calls end: interleaved, not item by item.
    attempts.sort(() => next() - 0.5);
    for (const attempt of attempts) runs.addRecord(attempt);
  }
}

describe('LifecycleRepository.itemFacts', () => {
  it('folds attempts into items exactly as the SQL GROUP BY it replaced, for every filter', () => {
    const { db } = openScratch();
    fillHistory(new RunRepository(db), random(7));
    const lifecycle = new LifecycleRepository(db);
    const all = lifecycle.itemFacts();
    expect(all.length).toBeGreaterThan(100);
    // The history covers what the folding must get right.
    expect(all.some((fact) => fact.costMicros === null)).toBe(true);
    expect(all.some((fact) => fact.fallbackSuccess && !fact.ownSuccess)).toBe(true);
    expect(all.some((fact) => fact.configVersion === null)).toBe(true);
    expect(all.some((fact) => fact.fixtures === 2)).toBe(true);
    expect(all.some((fact) => !fact.decided)).toBe(true);
    expect(all).toEqual(referenceFacts(db));
    for (const modelId of MODELS) {
      expect(lifecycle.itemFacts({ modelId })).toEqual(
        referenceFacts(db, 'WHERE c.intended_model = ?', [modelId]),
      );
    }
    expect(lifecycle.itemFacts({ runId: 'run-03' })).toEqual(
      referenceFacts(db, 'WHERE c.run_id = ?', ['run-03']),
    );
    const since = '2026-11-04T00:00:00.000Z';
    expect(lifecycle.itemFacts({ sinceIso: since })).toEqual(
      referenceFacts(db, 'WHERE r.started_at >= ?', [since]),
    );
    expect(lifecycle.itemFacts({ modelId: 'b/two', sinceIso: since })).toEqual(
      referenceFacts(db, 'WHERE c.intended_model = ? AND r.started_at >= ?', ['b/two', since]),
    );
  });
  it('refolds only runs whose attempts changed, and agrees with the GROUP BY after every change', () => {
    const { db, dir } = openScratch();
    const runs = new RunRepository(db);
    const next = random(11);
    fillHistory(runs, next, [0, 1, 2, 3, 4, 5]);
    const lifecycle = new LifecycleRepository(db);
    const first = lifecycle.itemFacts();
    expect(first).toEqual(referenceFacts(db));
    // Unchanged runs come back as the same (frozen) facts; a caller cannot alter what others read.
    const again = new LifecycleRepository(db).itemFacts();
    expect(again).toEqual(first);
    expect(again[0]).toBe(first[0]);
    expect(Object.isFrozen(again[0])).toBe(true);
    // A resumed run gets more attempts (some for items it already had), and new runs start.
    fillHistory(runs, next, [2, 6, 7]);
    const later = lifecycle.itemFacts();
    expect(later).toEqual(referenceFacts(db));
    expect(later.length).toBeGreaterThan(first.length);
    const since = '2026-11-02T00:00:00.000Z';
    expect(lifecycle.itemFacts({ sinceIso: since })).toEqual(
      referenceFacts(db, 'WHERE r.started_at >= ?', [since]),
    );
    // Another connection to the same file (another process) sees the same facts.
    const other = openDatabase(dir);
    try {
      expect(new LifecycleRepository(other).itemFacts()).toEqual(later);
    } finally {
      other.close();
    }
  });
});
