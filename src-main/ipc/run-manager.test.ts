import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callRecord } from '../../test-support/call-record';
import { type ConsoleHarness, openConsoleHarness } from '../../test-support/console-harness';
import { displayUsd } from '../../src-shared/money';
import { budgetSummary } from '../services/budget-summary';
import { runCanary } from '../services/canary';
import { regressionReport, runRegression } from '../services/regression';
import { runView } from './handlers/runs';

describe('run manager', () => {
  let harness: ConsoleHarness;
  beforeEach(async () => {
    harness = await openConsoleHarness();
  });
  afterEach(async () => {
    await harness.close();
  });

  it('answers the run id at once, pushes progress, and reports the finished run in the feed', async () => {
    const { session, host } = harness;
    const models = host.workspace.fleet
      .listModels()
      .slice(0, 3)
      .map((model) => model.id);
    const { runId } = await session.runs.start('canary', (signal, onEvent) =>
      runCanary(host, { models, fixtures: 2, concurrency: 4, signal, onEvent }),
    );
    expect(host.runs.getRun(runId)?.status).toBe('running');
    await session.runs.settled(runId);
    session.batcher.flush();
    expect(session.runs.isRunning(runId)).toBe(false);
    const progress = harness.eventsOf('run.progress').filter((event) => event.runId === runId);
    expect(progress.at(-1)).toMatchObject({
      runId,
      kind: 'canary',
      done: 6,
      total: 6,
      waiting: null,
    });
    expect(progress.at(-1)!.succeeded + progress.at(-1)!.failed).toBe(6);
    expect(harness.eventsOf('run.finished')).toEqual([
      { runId, kind: 'canary', status: 'completed' },
    ]);
    expect(new Set(harness.eventsOf('fleet.changed').flatMap((event) => event.modelIds))).toEqual(
      new Set(models),
    );
    expect(session.feed.list(10)).toEqual([
      expect.objectContaining({ kind: 'run-finished', title: 'Canary run completed' }),
    ]);
    // Its cost reads as the Runs page shows it (one rule for USD everywhere).
    expect(session.feed.list(10)[0]!.body).toBe(`${runId}: ${progress.at(-1)!.succeeded} of 6 succeeded, ${progress.at(-1)!.failed} failed, ${displayUsd(progress.at(-1)!.costUsd)}`);
    expect(harness.eventsOf('notification')).toHaveLength(1);
  });

  it('says how many successes a fallback model answered, live, in the stored view and in the feed', async () => {
    const { session, host } = harness;
    // The model itself refuses every call (HTTP 404); its configured fallback answers.
    host.simulator!.injectFault({ kind: '404', rate: 1, target: { model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' } });
    const { runId } = await session.runs.start('canary', (signal, onEvent) =>
      runCanary(host, { models: ['together/llama-3.3-70b'], fixtures: 3, concurrency: 1, signal, onEvent }),
    );
    await session.runs.settled(runId);
    session.batcher.flush();
    const last = harness.eventsOf('run.progress').filter((event) => event.runId === runId).at(-1)!;
    expect(last).toMatchObject({ done: 3, succeeded: 3, viaFallback: 3, failed: 0 });
    expect(runView(host, runId)).toMatchObject({ done: 3, succeeded: 3, viaFallback: 3, failed: 0 });
    expect(session.feed.list(1)[0]!.body).toContain('3 of 3 succeeded (3 by a fallback model), 0 failed');
    // The budget page counts them as answered, but none as the model's own (the grid's "no success").
    const budget = budgetSummary(host, { days: 1, volumePerDay: 1 });
    expect(budget.byModel.find((model) => model.modelId === 'together/llama-3.3-70b')).toMatchObject({ successes: 3, ownSuccesses: 0 });
  });

  it('warns, naming the budget, when a completed run had nothing answered because the budget refused it', async () => {
    const { session, host } = harness;
    host.ledger.setDailyCap(1);
    const { runId } = await session.runs.start('canary', (signal, onEvent) =>
      runCanary(host, { models: ['together/llama-3.3-70b'], fixtures: 2, concurrency: 1, signal, onEvent }),
    );
    await session.runs.settled(runId);
    expect(session.feed.list(1)[0]).toMatchObject({
      level: 'warning',
      title: 'Canary run completed: nothing answered',
      body: expect.stringContaining('0 of 2 succeeded, 2 failed (2 refused by the budget: its daily or run cap, see Settings'),
    });
  });

  it("says which models still have items to finish, so a model's row stops showing it running once its own items are done", async () => {
    const { session, host } = harness;
    const models = host.workspace.fleet
      .listModels()
      .slice(0, 3)
      .map((model) => model.id);
    const unfinished: string[][] = [];
    const { runId } = await session.runs.start('canary', (signal, onEvent) =>
      runCanary(host, {
        models,
        fixtures: 2,
        concurrency: 1,
        signal,
        onEvent: (event) => {
          onEvent(event);
          if (event.type === 'item-finished') unfinished.push(session.runs.progress(event.runId)!.unfinishedModels);
        },
      }),
    );
    await session.runs.settled(runId);
    const sorted = [...models].sort();
    // Fixture by fixture: each model's second item is the last of its own.
    expect(unfinished).toEqual([sorted, sorted, sorted, sorted.filter((id) => id !== models[0]), [models[2]!], []]);
  });

  it('cancels a running run: its status becomes cancelled and the rest is not sent', async () => {
    const { session, host } = harness;
    const models = host.workspace.fleet.listModels().map((model) => model.id);
    let items = 0;
    const { runId } = await session.runs.start('canary', (signal, onEvent) =>
      runCanary(host, {
        models,
        fixtures: 20,
        concurrency: 1,
        signal,
        onEvent: (event) => {
          onEvent(event);
          if (event.type === 'item-finished' && ++items === 2) session.runs.cancel(runId);
        },
      }),
    );
    await session.runs.settled(runId);
    session.batcher.flush();
    expect(host.runs.getRun(runId)?.status).toBe('cancelled');
    expect(harness.eventsOf('run.finished')).toEqual([
      { runId, kind: 'canary', status: 'cancelled' },
    ]);
    const sent = host.runs
      .records({ runId })
      .filter((record) => record.attempt > 0 && record.status === 'success');
    expect(sent.length).toBeLessThan(harness.eventsOf('run.progress').at(-1)!.total / 2);
    expect(session.runs.cancel(runId)).toBe(false);
    // The items the cancel stopped are counted as cancelled, not failed (the stored view counts
    // only items with a final record, so none of the unsent ones is a failure there either).
    const last = harness.eventsOf('run.progress').at(-1)!;
    expect(last.cancelled).toBeGreaterThan(0);
    expect(last.succeeded + last.failed + last.cancelled).toBe(last.done);
    expect(runView(host, runId)).toMatchObject({ failed: 0, succeeded: last.succeeded });
    // ...and the stored view, read again later, counts the run as its live progress ended.
    expect(runView(host, runId)).toMatchObject({ total: last.total, done: last.done, cancelled: last.cancelled });
  });

  it('counts a resumed run from what it had: its live progress ends where its stored view is', async () => {
    const { session, host } = harness;
    // One model that answers and one whose id is retired (every call a 404): earlier failures too.
    const models = [host.workspace.fleet.listModels()[0]!.id, 'together/nemotron-70b'];
    let items = 0;
    const first = await session.runs.start('canary', (signal, onEvent) =>
      runCanary(host, {
        models,
        fixtures: 5,
        concurrency: 1,
        signal,
        onEvent: (event) => {
          onEvent(event);
          if (event.type === 'item-finished' && ++items === 4) session.runs.cancel(first.runId);
        },
      }),
    );
    await session.runs.settled(first.runId);
    const before = runView(host, first.runId);
    expect(before).toMatchObject({ status: 'cancelled', total: 10 });
    const decided = before.done - before.cancelled;
    expect(decided).toBeGreaterThanOrEqual(4);
    expect(before.failed).toBeGreaterThan(0);
    expect(before.costUsd).toBeGreaterThan(0);

    let atStart: ReturnType<typeof session.runs.progress>;
    await session.runs.start('canary', (signal, onEvent) =>
      runCanary(host, {
        fixtures: 5,
        concurrency: 1,
        signal,
        resumeRunId: first.runId,
        onEvent: (event) => {
          onEvent(event);
          if (event.type === 'run-started') atStart = session.runs.progress(first.runId);
        },
      }),
    );
    await session.runs.settled(first.runId);
    session.batcher.flush();
    // The resume starts from what the run had decided, of the whole plan (not 0 of the rest).
    expect(atStart).toMatchObject({
      done: decided,
      total: 10,
      succeeded: before.succeeded,
      failed: before.failed,
      cancelled: 0,
      costUsd: before.costUsd,
    });
    const after = runView(host, first.runId);
    expect(after).toMatchObject({ status: 'completed', total: 10, done: 10 });
    expect(session.runs.progress(first.runId)).toMatchObject({
      total: after.total,
      done: after.done,
      succeeded: after.succeeded,
      failed: after.failed,
      cancelled: 0,
      costUsd: after.costUsd,
    });
    expect(session.feed.list(1)[0]!.body).toContain(`${after.succeeded} of 10 succeeded, ${after.failed} failed`);
  });

  it("counts a cancelled run's unsent items as cancelled, and an interrupted run's as still to do", () => {
    const { host } = harness;
    const items = ['a', 'b', 'c'].map((key) => ({ key, modelId: 'm', fixtureId: key, configVersion: 1 }));
    for (const id of ['run-cancelled', 'run-interrupted']) {
      host.runs.createRun({ id, kind: 'canary', task: 'football-score', items, pinnedVersions: {}, budgetMicros: null, startedAt: '2030-01-01T00:00:00.000Z' });
      host.runs.addRecord(callRecord({ runId: id, itemKey: 'a', final: true }));
      // A cancelled attempt: never its item's final record.
      host.runs.addRecord(callRecord({ runId: id, itemKey: 'b', final: false, status: 'failure', errorClass: 'cancelled' }));
    }
    host.runs.setStatus('run-cancelled', 'cancelled');
    host.runs.setStatus('run-interrupted', 'interrupted');
    expect(runView(host, 'run-cancelled')).toMatchObject({ total: 3, done: 3, succeeded: 1, failed: 0, cancelled: 2 });
    expect(runView(host, 'run-interrupted')).toMatchObject({ total: 3, done: 1, succeeded: 1, failed: 0, cancelled: 0 });
  });

  it('rejects start when the work fails before the run exists (the caller sees the error)', async () => {
    const { session, host } = harness;
    await expect(
      session.runs.start('canary', (signal, onEvent) =>
        runCanary(host, {
          models: ['no/such-model'],
          fixtures: 1,
          concurrency: 1,
          signal,
          onEvent,
        }),
      ),
    ).rejects.toThrow(/unknown model: no\/such-model/);
  });

  it('notifies when a model is auto-disabled and when a regression run reports regressions', async () => {
    const { session } = harness;
    const { runId } = await session.runs.start('regression', async (_signal, onEvent) => {
      onEvent({ type: 'run-started', runId: 'regression-1', kind: 'regression', total: 1 });
      onEvent({
        type: 'disabled',
        runId: 'regression-1',
        modelId: 'm-a',
        reason: 'auto-disabled after 5 consecutive failed predictions',
      });
      onEvent({ type: 'run-finished', runId: 'regression-1', status: 'completed' });
      return { change: 'variant BASE v2', regressions: ['m-a'] };
    });
    await session.runs.settled(runId);
    // The regression is the run's news: no "Regression run completed" info line beside it.
    expect(session.feed.list(10).map((notification) => notification.kind)).toEqual([
      'regression',
      'model-disabled',
    ]);
  });

  it('posts only the warning, not a "completed" info line, for a gate that is incomplete', async () => {
    const { session } = harness;
    const { runId } = await session.runs.start('regression', async (_signal, onEvent) => {
      onEvent({ type: 'run-started', runId: 'regression-2', kind: 'regression', total: 1 });
      onEvent({ type: 'run-finished', runId: 'regression-2', status: 'completed' });
      return { change: 'variant BASE v2', status: 'incomplete', regressions: [], untested: ['m-a'] };
    });
    await session.runs.settled(runId);
    expect(session.feed.list(10)).toEqual([
      expect.objectContaining({ level: 'warning', kind: 'regression', title: 'Regression gate of variant BASE v2 incomplete' }),
    ]);
  });

  it('says failed, not completed, in the feed when the work throws after its run finished (the run is stored as failed)', async () => {
    const { session } = harness;
    const { runId } = await session.runs.start('regression', async (_signal, onEvent) => {
      onEvent({ type: 'run-started', runId: 'regression-3', kind: 'regression', total: 1 });
      onEvent({ type: 'run-finished', runId: 'regression-3', status: 'completed' });
      throw new Error('the report could not be made');
    });
    await session.runs.settled(runId);
    expect(session.feed.list(10)).toEqual([
      expect.objectContaining({ level: 'error', kind: 'run-finished', title: 'Regression run failed' }),
    ]);
  });

  it('still posts the "completed" info line, with its figures, for a gate that passed', async () => {
    const { session, host } = harness;
    const { runId } = await session.runs.start('regression', (signal, onEvent) =>
      runRegression(host, { kind: 'model', name: 'together/llama-3.3-70b' }, { fixtures: 2, concurrency: 1, signal, onEvent }),
    );
    await session.runs.settled(runId);
    expect(regressionReport(host, runId).status).toBe('passed');
    expect(session.feed.list(10)).toEqual([
      expect.objectContaining({ level: 'info', kind: 'run-finished', title: 'Regression run completed', body: expect.stringMatching(new RegExp(`^${runId}: \\d+ of \\d+ succeeded`)) }),
    ]);
  });
});
