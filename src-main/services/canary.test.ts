import fs from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, openHarness, stoppedCanary } from '../../test-support/engine-harness';
import { makeTempDir } from '../../test-support/temp-dir';
import { resourcesDir } from '../paths';
import { type RunningSimulator, startSimulator } from '../simulator';
import { type CanaryReport, runCanary } from './canary';
import { type EngineHost, openEngineHost } from './engine-host';
import { importFleet } from './fleet-files';
import { openWorkspace, type Workspace } from './workspace';

describe('canary of the default simulated fleet', () => {
  const temp = makeTempDir('fleetdeck-canary-');
  let workspace: Workspace;
  let simulator: RunningSimulator;
  let host: EngineHost;
  let report: CanaryReport;

  beforeAll(async () => {
    workspace = openWorkspace(temp.dir);
    const fleet = JSON.parse(fs.readFileSync(resourcesDir('fleets', 'simulated.json'), 'utf8'));
    expect(importFleet(workspace, fleet, 'init').ok).toBe(true);
    simulator = await startSimulator({ seed: 11, latencyScale: 0 });
    host = await openEngineHost(workspace, {
      simulator,
      engineOptions: {
        retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 5, maxRetryAfterMs: 2_000 },
      },
    });
    report = await runCanary(host, { fixtures: 5, concurrency: 16 });
  }, 120_000);
  afterAll(async () => {
    await host.close();
    await simulator.close();
    workspace.close();
    temp.cleanup();
  });

  it('covers every active model with 5 fixtures and a believable picture', () => {
    const active = workspace.fleet.listModels().filter((model) => model.active);
    expect(report.models.map((model) => model.modelId)).toEqual(active.map((model) => model.id));
    expect(report.models.every((model) => model.predictions === 5)).toBe(true);
    const clean = report.models.filter(
      (model) =>
        model.succeeded === model.predictions &&
        model.viaFallback === 0 &&
        model.warnings.length === 0,
    ).length;
    expect(clean).toBeGreaterThan(active.length / 2);
    expect(clean).toBeLessThan(active.length);
    // One clean canary is not proof: `working` needs 3 in a row.
    expect(report.models.filter((model) => model.status === 'working')).toEqual([]);
    expect(report.models.filter((model) => model.status === 'untested')).toHaveLength(clean);
    expect(report.totals.predictions).toBe(active.length * 5);
  });

  it('agrees with the simulator request log: requests per model and cost to the micro-dollar', () => {
    const log = simulator.requestLog();
    const records = host.runs.records({ runId: report.runId });
    const models = new Map(workspace.fleet.listModels().map((model) => [model.id, model]));
    const byServedId = new Map(
      [...models.values()].map((model) => [`${model.provider}|${model.providerModelId}`, model]),
    );
    const requestsPerModel = new Map<string, number>();
    let logCost = 0;
    for (const entry of log) {
      const model = byServedId.get(`${entry.provider}|${entry.model}`);
      expect(model, `request for ${entry.provider}/${entry.model}`).toBeDefined();
      if (!model) continue;
      requestsPerModel.set(model.id, (requestsPerModel.get(model.id) ?? 0) + 1);
      if (entry.usage && model.pricing) {
        logCost += Math.ceil(
          entry.usage.prompt_tokens * model.pricing.promptPer1M +
            entry.usage.completion_tokens * model.pricing.completionPer1M,
        );
      }
    }
    const attemptsPerModel = new Map<string, number>();
    for (const record of records) {
      if (record.attempt > 0)
        attemptsPerModel.set(
          record.actualModel,
          (attemptsPerModel.get(record.actualModel) ?? 0) + 1,
        );
    }
    expect(Object.fromEntries(attemptsPerModel)).toEqual(Object.fromEntries(requestsPerModel));
    const reportedMicros = report.models.reduce((sum, model) => sum + (model.costMicros ?? 0), 0);
    expect(reportedMicros).toBe(logCost);
    expect(Math.round(report.totals.costUsd * 1_000_000)).toBe(logCost);
  });

  it('stamps every record with the config version the run pinned', () => {
    const records = host.runs.records({ runId: report.runId });
    expect(
      records.every((record) => record.configVersion === report.pinnedVersions[record.actualModel]),
    ).toBe(true);
  });
});

describe('resume', () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it('sends only the unfinished items of an interrupted run again', async () => {
    harness = await openHarness({
      models: [
        {
          id: 'm',
          profile: {
            latency: {
              ttftMs: 300,
              ttftSpreadMs: 0,
              tokensPerSecond: 100_000,
              tokensPerSecondSpread: 0,
            },
          },
        },
      ],
      latencyScale: 1,
    });
    const { simulator } = harness;
    // Stop once two items are done: the run is left unfinished, as after a crash.
    const partial = await stoppedCanary(harness.host, 'm', {
      fixtures: 6,
      concurrency: 2,
      after: 2,
    });

    const second = await harness.restart({ crashed: partial.runId });
    expect(second.runs.getRun(partial.runId)?.status).toBe('interrupted');
    const finishedBefore = second.runs.finishedItemKeys(partial.runId).size;
    expect(finishedBefore).toBeGreaterThanOrEqual(2);
    expect(finishedBefore).toBeLessThan(6);
    const requestsBefore = simulator.requestLog().length;
    const resumed = await runCanary(second, {
      fixtures: 6,
      concurrency: 2,
      resumeRunId: partial.runId,
    });
    expect(resumed.runId).toBe(partial.runId);
    expect(simulator.requestLog().length - requestsBefore).toBe(6 - finishedBefore);
    expect(resumed.models[0]).toMatchObject({ predictions: 6, succeeded: 6 });
    expect(second.runs.getRun(partial.runId)?.status).toBe('completed');
  });

  it('refuses a concurrency that is not a number before it stores a run, instead of never ending', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    const before = harness.host.runs.listRuns().length;
    await expect(runCanary(harness.host, { models: ['m'], fixtures: 2, concurrency: Number.NaN })).rejects.toThrow(/concurrency must be a number of calls, got NaN/);
    expect(harness.host.runs.listRuns()).toHaveLength(before);
    expect(harness.simulator.requestLog()).toHaveLength(0);
  });

  it('resumes a crashed run whose open reservations a dead process left behind, and still counts them as spent', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    const { simulator, workspace } = harness;
    // One item at a time, stopped once two are answered: the rest of the plan is left unsent.
    const partial = await stoppedCanary(harness.host, 'm', {
      fixtures: 6,
      concurrency: 1,
      after: 2,
    });
    // What a kill -9 leaves besides the run still `running` under a dead pid (restart below): the
    // reservations of the calls that were in flight still open, named as that process's ledger named them.
    const day = new Date().toISOString().slice(0, 10);
    const leftOpen = [1, 2].map((sequence) => ({
      id: `${partial.runId}:${sequence}`,
      amount: 1_000 * sequence,
    }));
    const insert = workspace.db.prepare(
      'INSERT INTO budget_reservations (id, run_id, model_id, day, amount_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const reservation of leftOpen)
      insert.run(
        reservation.id,
        partial.runId,
        'm',
        day,
        reservation.amount,
        new Date().toISOString(),
      );
    const heldByCrash = leftOpen.reduce((sum, reservation) => sum + reservation.amount, 0);

    const second = await harness.restart({ crashed: partial.runId });
    expect(second.runs.getRun(partial.runId)?.status).toBe('interrupted');
    expect(second.runs.finishedItemKeys(partial.runId).size).toBe(2);
    expect(second.ledger.snapshot().reserved).toBe(heldByCrash);
    const requestsBefore = simulator.requestLog().length;
    const resumed = await runCanary(second, {
      fixtures: 6,
      concurrency: 2,
      resumeRunId: partial.runId,
    });
    expect(second.runs.getRun(partial.runId)?.status).toBe('completed');
    expect(simulator.requestLog().length - requestsBefore).toBe(4);
    expect(resumed.models[0]).toMatchObject({ predictions: 6, succeeded: 6 });
    // Nothing settled the crashed calls: their reservations are still open and still spent.
    const open = workspace.db.prepare('SELECT id FROM budget_reservations ORDER BY id').all() as {
      id: string;
    }[];
    expect(open.map((row) => row.id)).toEqual(leftOpen.map((reservation) => reservation.id));
    const recorded = second.runs
      .records({ runId: partial.runId })
      .reduce((sum, record) => sum + (record.costMicros ?? 0), 0);
    expect(second.ledger.snapshot()).toMatchObject({ reserved: heldByCrash, spent: recorded });
  });
});
