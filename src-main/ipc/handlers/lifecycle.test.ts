import { afterEach, describe, expect, it } from 'vitest';
import { type Channel, type ChannelInput, type ChannelOutput, contract } from '../../../src-shared/ipc';
import { type Harness, openHarness } from '../../../test-support/engine-harness';
import { runCanary } from '../../services/canary';
import type { RunEvent } from '../../services/run-executor';
import type { Handler, HandlerDeps, RunManagerLike } from '../types';
import * as lifecycle from './lifecycle';

/** Just enough of the console's run manager: starts work, answers the run id, tracks settling. */
class TestRuns implements RunManagerLike {
  private readonly work = new Map<string, Promise<unknown>>();
  start(_kind: string, work: (signal: AbortSignal, onEvent: (event: RunEvent) => void) => Promise<unknown>): Promise<{ runId: string }> {
    return new Promise((resolve, reject) => {
      let settled: Promise<unknown> | undefined;
      settled = work(new AbortController().signal, (event) => {
        if (event.type !== 'run-started') return;
        queueMicrotask(() => this.work.set(event.runId, settled!));
        resolve({ runId: event.runId });
      });
      settled.catch(reject);
    });
  }
  cancel(): boolean {
    return false;
  }
  isRunning(): boolean {
    return false;
  }
  async settled(runId: string): Promise<void> {
    await this.work.get(runId);
  }
}

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setup(engineOptions?: Parameters<typeof openHarness>[0]['engineOptions']): Promise<{ deps: HandlerDeps; events: unknown[]; call: <C extends Channel>(handler: Handler<C>, channel: C, input: ChannelInput<C>) => Promise<ChannelOutput<C>> }> {
  harness = await openHarness({
    engineOptions,
    models: [
      { id: 'strict-user', profile: { style: 'prose-only', variants: { JSON_STRICT: { style: 'clean' } } }, config: { promptVariant: 'JSON_STRICT' } },
      { id: 'solid', profile: { style: 'clean' } },
    ],
  });
  const events: unknown[] = [];
  const deps: HandlerDeps = {
    host: harness.host,
    runs: new TestRuns(),
    keys: { kind: 'session-only', plainTextOnly: () => false, set: async () => {}, clear: async () => {}, get: async () => undefined, has: () => false, masked: () => null },
    notifications: { push: (notification) => ({ ...notification, id: '1', at: '' }), list: () => [] },
    emit: (event, payload) => events.push({ event, payload }),
  };
  // Parse the input as the transport does and the output as the renderer does.
  const call = async <C extends Channel>(handler: Handler<C>, channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>> => {
    const output = await handler(contract[channel].input.parse(input) as never, deps);
    return contract[channel].output.parse(output) as ChannelOutput<C>;
  };
  return { deps, events, call };
}

describe('lifecycle handlers', () => {
  it('edit a variant, gate it, report the regression and roll it back, every answer in the contract shape', async () => {
    const { deps, call } = await setup();
    await runCanary(deps.host, { fixtures: 3, concurrency: 4 });
    const catalog = await call(lifecycle.promptsCatalog, 'prompts.catalog', {});
    expect(catalog.variants.find((variant) => variant.name === 'JSON_STRICT')).toMatchObject({ version: 1, builtin: true, usedBy: ['strict-user'] });

    const change = { kind: 'variant' as const, name: 'JSON_STRICT', text: 'No Markdown code fences, no explanation, no text before or after the JSON.' };
    expect(await call(lifecycle.promptsPlan, 'prompts.plan', { change })).toMatchObject({ change: 'variant JSON_STRICT v2', affected: ['strict-user'], problems: [] });
    expect(await call(lifecycle.promptsSave, 'prompts.save', { change, note: 'shorter JSON_STRICT' })).toMatchObject({ version: 2 });
    expect((await call(lifecycle.promptsHistory, 'prompts.history', { kind: 'variant', name: 'JSON_STRICT' })).map((entry) => entry.note)).toEqual(['built-in', 'shorter JSON_STRICT']);

    const started = await call(lifecycle.regressStart, 'regress.start', { change: { kind: 'variant', name: 'JSON_STRICT' } });
    expect(started.plan.tested).toEqual(['strict-user']);
    await deps.runs.settled(started.runId);
    const report = await call(lifecycle.regressReport, 'regress.report', { runId: started.runId });
    expect(report).toMatchObject({ status: 'regressed', regressions: ['strict-user'], rollback: { kind: 'variant', name: 'JSON_STRICT', toVersion: 1 } });
    expect(await call(lifecycle.regressRollback, 'regress.rollback', { runId: started.runId })).toEqual({ kind: 'variant', name: 'JSON_STRICT', version: 3, reenabled: ['strict-user'] });
    const composed = await call(lifecycle.promptsCompose, 'prompts.compose', { modelId: 'strict-user' });
    expect(composed.system).toContain('Reply with the JSON only.');
    expect(composed.sections.find((section) => section.kind === 'variant')).toMatchObject({ name: 'JSON_STRICT', version: 3 });
  });

  it('refuses a component change that would leave the prompt invalid, naming the problem', async () => {
    const { call } = await setup();
    await expect(call(lifecycle.promptsSave, 'prompts.save', { change: { kind: 'component', key: 'output-format', text: 'Reply with JSON.' }, note: 'shorter' })).rejects.toMatchObject({
      problems: ['output format does not name the field "homeScore"', 'output format does not name the field "awayScore"'],
    });
    expect(await call(lifecycle.promptsPlan, 'prompts.plan', { change: { kind: 'component', key: 'rules', text: '' } })).toMatchObject({ blastRadius: 'fleet', problems: ['missing required section "rules"'] });
    // A variant emptied (a blank file saved by mistake) would be BASE by another name: refused.
    expect((await call(lifecycle.promptsPlan, 'prompts.plan', { change: { kind: 'variant', name: 'JSON_STRICT', text: '  \n' } })).problems).toEqual([
      'variant JSON_STRICT would be empty (the same prompt as BASE): give its instructions, or move its models to BASE',
    ]);
    expect((await call(lifecycle.promptsPlan, 'prompts.plan', { change: { kind: 'variant', name: 'BASE', text: '' } })).problems).toEqual([]);
  });

  it("a saved or rolled-back config closes the circuit the old config's failures opened, so its canary is sent every fixture", async () => {
    const { deps, call } = await setup({ breaker: { failureThreshold: 3, cooldownMs: 60_000 }, retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_500 } });
    const host = deps.host;
    const prose = { ...host.workspace.fleet.requireModel('strict-user').config, promptVariant: 'BASE' };
    await call(lifecycle.modelSaveConfig, 'model.saveConfig', { modelId: 'strict-user', config: prose, note: 'plain prompt' });
    const opened = await runCanary(host, { models: ['strict-user'], fixtures: 4, concurrency: 1 });
    expect(opened.models[0]?.errors).toEqual({ parse_error: 3, circuit_open: 1 });
    // The fix: back to JSON_STRICT (v1) by a rollback; every fixture is sent and answered.
    expect((await call(lifecycle.modelRollback, 'model.rollback', { modelId: 'strict-user', toVersion: 1 })).version).toBe(3);
    const fixed = await runCanary(host, { models: ['strict-user'], fixtures: 4, concurrency: 1 });
    expect(fixed.models[0]).toMatchObject({ succeeded: 4, errors: {} });
    // Open it again under BASE, then a save (not a rollback) closes it too.
    await call(lifecycle.modelSaveConfig, 'model.saveConfig', { modelId: 'strict-user', config: prose, note: 'plain prompt again' });
    expect((await runCanary(host, { models: ['strict-user'], fixtures: 4, concurrency: 1 })).models[0]?.errors).toEqual({ parse_error: 3, circuit_open: 1 });
    const strict = { ...prose, promptVariant: 'JSON_STRICT', temperature: 0.1 };
    await call(lifecycle.modelSaveConfig, 'model.saveConfig', { modelId: 'strict-user', config: strict, note: 'strict, cooler' });
    expect((await runCanary(host, { models: ['strict-user'], fixtures: 4, concurrency: 1 })).models[0]).toMatchObject({ succeeded: 4, errors: {} });
  });

  it('check, save, diff and roll back a config; verdicts and enable push fleet.changed', async () => {
    const { deps, events, call } = await setup();
    const config = deps.host.workspace.fleet.requireModel('solid').config;
    const checked = await call(lifecycle.modelCheckConfig, 'model.checkConfig', { modelId: 'solid', config: { ...config, timeoutMs: 61_000 } });
    expect(checked.problems).toEqual(['timeout 61000 ms is over the 60000 ms ceiling (90000 ms is allowed only for premium models)']);
    expect(checked.plan).toMatchObject({ change: 'model solid config v2', blastRadius: 'model', tested: ['solid'] });
    const saved = await call(lifecycle.modelSaveConfig, 'model.saveConfig', { modelId: 'solid', config: { ...config, timeoutMs: 20_000 }, note: 'faster' });
    expect(saved.version).toBe(2);
    expect(saved.warnings).toEqual([]);
    expect((await call(lifecycle.modelDiff, 'model.diff', { modelId: 'solid', from: 1, to: 2 })).changes).toEqual([{ field: 'timeoutMs', from: 5000, to: 20000 }]);
    expect(await call(lifecycle.modelRollback, 'model.rollback', { modelId: 'solid', toVersion: 1 })).toEqual({ version: 3 });
    await call(lifecycle.modelSetVerdict, 'model.setVerdict', { modelId: 'solid', verdict: 'inactive', reason: 'paused' });
    await call(lifecycle.modelEnable, 'model.enable', { modelId: 'strict-user' });
    expect(events).toEqual([
      { event: 'fleet.changed', payload: { modelIds: ['solid'] } },
      { event: 'fleet.changed', payload: { modelIds: ['strict-user'] } },
    ]);
    const detail = await call(lifecycle.modelDetail, 'model.detail', { modelId: 'solid' });
    expect(detail).toMatchObject({ row: { status: 'inactive' }, verdict: { status: 'inactive', reason: 'paused' }, versions: [{ version: 1 }, { version: 2 }, { version: 3 }] });
    expect(detail.fallbackOptions).toEqual([{ id: 'strict-user', allowed: true, why: null }]);
    const fleet = await call(lifecycle.fleetStatus, 'fleet.status', {});
    expect(fleet.coverage).toMatchObject({ active: 1, total: 2 });
    // Saved as asked, with what the provider's limits will change at call time said.
    deps.host.workspace.fleet.upsertProvider({ ...deps.host.workspace.fleet.getProvider(deps.host.workspace.fleet.requireModel('solid').provider)!, limits: { maxTokens: 256, temperatureMin: 0, temperatureMax: 2, modelIdFormat: 'as-is' } });
    const capped = await call(lifecycle.modelSaveConfig, 'model.saveConfig', { modelId: 'solid', config: { ...config, timeoutMs: 20_000, maxTokens: 1000 }, note: 'longer answers' });
    expect(capped.warnings).toEqual([expect.stringMatching(/^maxTokens 1000 is more than provider ".+" accepts: calls send max_tokens 256$/)]);
  });

  it('start and read a side-by-side run, the budget, and model-status.json', async () => {
    const { deps, call } = await setup();
    const { runId } = await call(lifecycle.compareStart, 'compare.start', { columns: [{ modelId: 'strict-user', promptVariant: 'BASE' }, { modelId: 'strict-user' }, { modelId: 'solid' }], fixtures: 2 });
    await deps.runs.settled(runId);
    const view = await call(lifecycle.compareGet, 'compare.get', { runId });
    expect(view.columns.map((column) => column.successRate)).toEqual([0, 1, 1]);
    const budget = await call(lifecycle.budgetSummary, 'budget.summary', { days: 3 });
    expect(budget.daily).toHaveLength(3);
    expect(budget.byModel.map((model) => model.modelId)).toEqual(['solid', 'strict-user']);
    expect(budget.today.spentUsd).toBeGreaterThan(0);
    const exported = await call(lifecycle.statusExport, 'status.export', {});
    expect(exported.fileName).toBe('model-status.json');
    expect(await call(lifecycle.statusImport, 'status.import', { content: exported.content })).toEqual({ ok: true, applied: false, problems: [], changes: [] });
    expect(await call(lifecycle.statusImport, 'status.import', { content: '{"version": 1, "models": {' })).toMatchObject({ ok: false, applied: false });
  });
});
