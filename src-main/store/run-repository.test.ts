import { describe, expect, it } from 'vitest';
import { callRecord } from '../../test-support/call-record';
import { perTestScratch } from '../../test-support/scratch';
import { openDatabase } from './database';
import { RunRepository } from './run-repository';

const scratch = perTestScratch('fleetdeck-records-');

function attempt(runId: string, index: number) {
  return callRecord({
    runId,
    itemKey: `m/fx-${index}`,
    fixtureId: `fx-${index}`,
    startedAt: new Date(Date.UTC(2026, 10, 1, 0, 0, index)).toISOString(),
  });
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
