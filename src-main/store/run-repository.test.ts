import { describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src-shared/domain';
import { perTestScratch } from '../../test-support/scratch';
import { openDatabase } from './database';
import { RunRepository } from './run-repository';

const scratch = perTestScratch('fleetdeck-records-');

function attempt(runId: string, index: number): CallRecord {
  return {
    runId,
    itemKey: `m/fx-${index}`,
    fixtureId: `fx-${index}`,
    intendedModel: 'm',
    actualModel: 'm',
    fallbackDepth: 0,
    fallbackReason: null,
    attempt: 1,
    configVersion: 1,
    promptVariant: 'BASE',
    timeoutMs: 30_000,
    startedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, index)).toISOString(),
    ttftMs: null,
    latencyMs: 100,
    status: 'success',
    final: true,
    errorClass: null,
    errorMessage: null,
    httpStatus: 200,
    promptTokens: 10,
    completionTokens: 5,
    reasoningTokens: null,
    costMicros: 1,
    estimatedCostMicros: null,
    replyLength: 2,
    replyExcerpt: '{}',
    reasoningExcerpt: null,
    parsedValue: null,
    coercions: [],
    parseSteps: [],
  };
}

describe('RunRepository.records', () => {
  it("lists a run's newest calls in call order when limited, and all of them otherwise", () => {
    const db = openDatabase(scratch.dir());
    scratch.defer(() => db.close());
    const runs = new RunRepository(db);
    for (const runId of ['a', 'b'])
      runs.createRun({
        id: runId,
        kind: 'canary',
        task: 'football-score',
        items: [],
        pinnedVersions: {},
        budgetMicros: null,
        startedAt: '2026-11-01T00:00:00.000Z',
      });
    // The two runs' calls interleaved, as concurrent runs write them.
    for (let index = 0; index < 6; index++)
      for (const runId of ['a', 'b']) runs.addRecord(attempt(runId, index));

    expect(runs.records({ runId: 'a', limit: 4 }).map((record) => record.fixtureId)).toEqual([
      'fx-2',
      'fx-3',
      'fx-4',
      'fx-5',
    ]);
    expect(runs.records({ runId: 'a' }).map((record) => record.fixtureId)).toEqual([
      'fx-0',
      'fx-1',
      'fx-2',
      'fx-3',
      'fx-4',
      'fx-5',
    ]);
    // Without a run: everything, newest first.
    expect(
      runs.records({ limit: 3 }).map((record) => `${record.runId}:${record.fixtureId}`),
    ).toEqual(['b:fx-5', 'a:fx-5', 'b:fx-4']);
  });
});
