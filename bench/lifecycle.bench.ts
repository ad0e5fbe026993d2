/**
 * Status reads against the size of the history: every model's status is derived from its item
 * facts (the grid, `fleetdeck status`, each canary's end). For two history sizes, in one run and
 * on the same SQLite file: the SQL GROUP BY the item facts used to come from (the baseline), the
 * fold that replaced it (cold: nothing cached), then warm reads of `itemFacts` and of the whole
 * `fleetLifecycle` (each run's facts kept until its attempts change). Reports only.
 *   npx tsx bench/lifecycle.bench.ts [--records 20000,100000]
 */
import fs from 'node:fs';
import path from 'node:path';
import type { FleetFileInput } from '../src-shared/domain';
import { importFleet } from '../src-main/services/fleet-files';
import { fleetLifecycle } from '../src-main/services/lifecycle-facts';
import { openWorkspace } from '../src-main/services/workspace';
import { LifecycleRepository } from '../src-main/store/lifecycle-repository';
import { RunRepository } from '../src-main/store/run-repository';
import { callRecord } from '../test-support/call-record';
import { referenceFacts } from '../test-support/item-facts-reference';
import { makeTempDir } from '../test-support/temp-dir';

const at = process.argv.indexOf('--records');
const sizes = (at === -1 ? '20000,100000' : process.argv[at + 1]!).split(',').map(Number);
const fleet = JSON.parse(
  fs.readFileSync(path.join(__dirname, '..', 'resources', 'fleets', 'simulated.json'), 'utf8'),
) as FleetFileInput;

/** Daily-canary-like history: every model x 5 fixtures per run, one attempt in ten a retry. */
function fillHistory(runs: RunRepository, modelIds: readonly string[], count: number): number {
  let written = 0;
  let run = 0;
  const day0 = Date.parse('2026-01-01T00:00:00.000Z');
  while (written < count) {
    const runId = `bench-run-${run}`;
    const startedAt = new Date(day0 + run * 3_600_000).toISOString();
    runs.createRun({
      id: runId,
      kind: 'canary',
      task: 'football-score',
      items: [],
      pinnedVersions: {},
      budgetMicros: null,
      startedAt,
    });
    for (let index = 0; index < modelIds.length * 5 && written < count; index++, written++) {
      const modelId = modelIds[index % modelIds.length]!;
      const fixtureId = `fx-${Math.floor(index / modelIds.length)}`;
      const retried = written % 10 === 9;
      const record = callRecord({
        runId,
        itemKey: `${modelId}/${fixtureId}`,
        fixtureId,
        intendedModel: modelId,
        actualModel: modelId,
        attempt: retried ? 2 : 1,
        startedAt,
        latencyMs: 900 + (written % 300),
        status: retried ? 'failure' : 'success',
        final: !retried,
        errorClass: retried ? 'server_error' : null,
        errorMessage: retried ? 'HTTP 503' : null,
        httpStatus: retried ? 503 : 200,
        promptTokens: 300,
        completionTokens: 20,
        costMicros: retried ? 0 : 340,
        replyLength: 29,
        replyExcerpt: '{"homeScore":1,"awayScore":1}',
        parsedValue: retried ? null : { homeScore: 1, awayScore: 1 },
        parseSteps: [
          {
            step: 'extract-json',
            outcome: 'applied',
            detail: 'took the last answer-like JSON of 1 span',
          },
        ],
      });
      runs.addRecord(record);
    }
    run++;
  }
  return run;
}

function time<T>(work: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = work();
  return { ms: performance.now() - started, value };
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const lines: string[] = [];
for (const size of sizes) {
  const temp = makeTempDir('fleetdeck-bench-lifecycle-');
  const workspace = openWorkspace(temp.dir);
  try {
    const imported = importFleet(workspace, fleet, 'bench');
    if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
    const modelIds = workspace.fleet.listModels().map((model) => model.id);
    const runCount = workspace.db.transaction(() =>
      fillHistory(new RunRepository(workspace.db), modelIds, size),
    )();
    const baselineRuns = [0, 1, 2].map(() => time(() => referenceFacts(workspace.db)));
    const baseline = median(baselineRuns.map((run) => run.ms));
    const items = baselineRuns[0]!.value.length;
    // A fresh handle each time: nothing folded yet (the cache is per database handle).
    const coldRuns: number[] = [];
    for (let round = 0; round < 3; round++) {
      const handle = openWorkspace(temp.dir);
      try {
        const cold = time(() => new LifecycleRepository(handle.db).itemFacts());
        if (cold.value.length !== items) throw new Error('the fold lost items');
        coldRuns.push(cold.ms);
      } finally {
        handle.close();
      }
    }
    const cold = median(coldRuns);
    new LifecycleRepository(workspace.db).itemFacts();
    const warm = median(
      [0, 1, 2].map(() => time(() => new LifecycleRepository(workspace.db).itemFacts()).ms),
    );
    const status = median([0, 1, 2].map(() => time(() => fleetLifecycle(workspace)).ms));
    lines.push(
      `${size} records in ${runCount} runs: item facts by SQL GROUP BY (baseline) ${baseline.toFixed(0)} ms; folded, cold ${cold.toFixed(0)} ms (${(baseline / cold).toFixed(1)}x faster), warm ${warm.toFixed(1)} ms (${(baseline / warm).toFixed(0)}x); a whole status read (fleetLifecycle, warm) ${status.toFixed(0)} ms`,
    );
  } finally {
    workspace.close();
    temp.cleanup();
  }
}
process.stdout.write(
  `lifecycle bench (status reads against history size)\n${lines.map((line) => `  ${line}`).join('\n')}\n`,
);
