import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, type HarnessModel, openHarness } from '../../test-support/engine-harness';
import { RegressionReportView } from '../../src-shared/ipc';
import { LifecycleRepository } from '../store';
import { runCanary } from './canary';
import { saveModelConfig } from './config-versions';
import { enableModel } from './lifecycle';
import { fleetLifecycle } from './lifecycle-facts';
import { loadPromptCatalog } from './prompt-catalog';
import { savePromptChange } from './prompt-edits';
import { newestUngatedChange, planChange, regressionReport, resolveChange, rollbackChange, runRegression } from './regression';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const clean = (id: string): HarnessModel => ({ id, profile: { style: 'clean' } });

/** Answers cleanly until its system prompt says "Answer in English only.", then writes garbage. */
const literal: HarnessModel = {
  id: 'literal',
  profile: { note: 'over-reacts to an English-only instruction', style: 'clean', variants: { ENGLISH_ONLY: { style: 'garbage' } } },
};

/** Prose without JSON under BASE; JSON_STRICT fixes it (like the simulated mistral-7b). */
const fixable: HarnessModel = { id: 'fixable', profile: { style: 'prose-only', variants: { JSON_STRICT: { style: 'clean' } } } };

describe('regression gate', () => {
  it('catches a base-prompt change that breaks one working model as a regression, and rolls it back', async () => {
    harness = await openHarness({ models: [clean('steady-a'), clean('steady-b'), clean('steady-c'), literal] });
    const { host, workspace } = harness;
    await runCanary(host, { fixtures: 3, concurrency: 8 });
    const rules = loadPromptCatalog(workspace).task.components.find((component) => component.key === 'rules')!;

    const saved = savePromptChange(workspace, { kind: 'component', key: 'rules', text: `${rules.text}\n- Answer in English only.` }, 'insist on English');
    expect(saved.version).toBe(2);
    expect(saved.plan).toMatchObject({ change: 'component rules v2', blastRadius: 'fleet', tested: ['literal', 'steady-a', 'steady-b', 'steady-c'] });

    const report = await runRegression(host, { kind: 'component', name: 'rules' }, { fixtures: 3 });
    expect(RegressionReportView.parse(report)).toEqual(report);
    expect(report).toMatchObject({ status: 'regressed', regressions: ['literal'], rollback: { kind: 'component', name: 'rules', toVersion: 1 } });
    expect(report.models.find((model) => model.modelId === 'literal')).toEqual({ modelId: 'literal', baselineSuccessRate: 1, successRate: 0, verdict: 'regression', warnings: [], unsent: 0 });
    expect(report.models.filter((model) => model.verdict === 'ok').map((model) => model.modelId)).toEqual(['steady-a', 'steady-b', 'steady-c']);
    expect(host.runs.getRun(report.runId)).toMatchObject({ kind: 'regression', summary: { regression: report } });
    // The gate records the prompt versions its run pinned: the changed component at v2.
    const gate = new LifecycleRepository(workspace.db).gate(report.runId)!;
    expect(gate.promptVersions).toMatchObject({ components: { rules: 2 }, variants: { BASE: 1 } });
    expect(gate.promptVersions).toEqual(host.runs.getRun(report.runId)!.promptVersions);

    expect(rollbackChange(host, report.runId)).toEqual({ kind: 'component', name: 'rules', version: 3, reenabled: [] });
    expect(loadPromptCatalog(workspace).task.components.find((component) => component.key === 'rules')?.text).toBe(rules.text);
    const again = await runRegression(host, { kind: 'component', name: 'rules' }, { fixtures: 3 });
    expect(again).toMatchObject({ change: 'component rules v3', status: 'passed', regressions: [], rollback: null });
    // Its baseline is its last clean run (before the change), not the failed gate: back to ok.
    expect(again.models.find((model) => model.modelId === 'literal')).toMatchObject({ baselineSuccessRate: 1, successRate: 1, verdict: 'ok' });
  });

  it('calls a gate incomplete, not passed, when a model it was to test was never sent a fixture', async () => {
    harness = await openHarness({
      providers: [
        { id: 'sim-a', baseUrl: 'http://127.0.0.1/sim-a/v1', simulated: true, maxConcurrency: 64 },
        // A real provider whose key variable is not set: every call is refused before sending.
        { id: 'keyless', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: 'FLEETDECK_TEST_UNSET_KEY' },
      ],
      models: [clean('steady-a'), { id: 'no-key', provider: 'keyless', profile: null }],
    });
    const { host, workspace } = harness;
    await runCanary(host, { fixtures: 3, concurrency: 8 });
    const rules = loadPromptCatalog(workspace).task.components.find((component) => component.key === 'rules')!;
    savePromptChange(workspace, { kind: 'component', key: 'rules', text: `${rules.text}\n- Be brief.` }, 'brevity');
    const report = await runRegression(host, { kind: 'component', name: 'rules' }, { fixtures: 3 });
    expect(RegressionReportView.parse(report)).toEqual(report);
    expect(report).toMatchObject({ status: 'incomplete', regressions: [], untested: ['no-key'], rollback: null });
    expect(report.models.find((model) => model.modelId === 'no-key')).toMatchObject({ verdict: 'untested', successRate: null });
    expect(report.models.find((model) => model.modelId === 'steady-a')).toMatchObject({ verdict: 'ok' });
    // An incomplete gate is no verdict: `regress` without --change still offers the change.
    expect(newestUngatedChange(workspace)).toMatchObject({ kind: 'component', name: 'rules', version: 2 });
    workspace.fleet.setActive('no-key', false);
    expect((await runRegression(host, { kind: 'component', name: 'rules' }, { fixtures: 3 })).status).toBe('passed');
    expect(newestUngatedChange(workspace)).toBeUndefined();
  });

  it('sends every fixture of a prompt fix to a model whose circuit the old prompt opened', async () => {
    harness = await openHarness({
      models: [{ id: 'flaky', profile: { style: 'prose-only', variants: { JSON_STRICT: { style: 'clean' } } } }],
      engineOptions: { breaker: { failureThreshold: 3, cooldownMs: 60_000 }, retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_500 } },
    });
    const { host, workspace } = harness;
    const before = await runCanary(host, { fixtures: 4, concurrency: 1 });
    expect(before.models[0]?.errors).toEqual({ parse_error: 3, circuit_open: 1 });
    // The fix is in the prompt (BASE asks for JSON only), not the model's config.
    savePromptChange(workspace, { kind: 'variant', name: 'BASE', text: 'Reply with the JSON only.' }, 'ask for JSON only');
    const report = await runRegression(host, { kind: 'variant', name: 'BASE' }, { fixtures: 3 });
    expect(report).toMatchObject({ status: 'passed', untested: [] });
    expect(report.models[0]).toMatchObject({ modelId: 'flaky', verdict: 'fixed', successRate: 1, unsent: 0 });
  });

  it('calls a gate incomplete when a budget that runs out partway refuses some of its fixtures', async () => {
    // Priced on completion only: a call reserves max_tokens (100) and spends what it wrote (a few
    // dozen tokens), so a run cap of 1.5 worst cases admits the first calls and refuses the rest.
    harness = await openHarness({
      models: [{ id: 'thrifty', profile: { style: 'clean' }, pricing: { promptPer1M: 0, completionPer1M: 10_000 }, config: { maxTokens: 100 } }],
      budget: { runUsd: 1.5 * 100 * 0.01 },
    });
    const { host, workspace } = harness;
    const rules = loadPromptCatalog(workspace).task.components.find((component) => component.key === 'rules')!;
    savePromptChange(workspace, { kind: 'component', key: 'rules', text: `${rules.text}\n- Be brief.` }, 'brevity');
    const report = await runRegression(host, { kind: 'component', name: 'rules' }, { fixtures: 5 });
    const model = report.models[0]!;
    expect(model.unsent).toBeGreaterThan(0);
    expect(model.unsent).toBeLessThan(5);
    expect(model.successRate).toBe(1);
    expect(report).toMatchObject({ status: 'incomplete', regressions: [], untested: ['thrifty'] });
  });

  it("re-enables on rollback a model the gate's own failures auto-disabled, and leaves one disabled before the gate alone", async () => {
    harness = await openHarness({ models: [clean('steady-a'), clean('steady-b'), clean('steady-c'), { ...fixable, config: { promptVariant: 'JSON_STRICT' } }] });
    const { host, workspace } = harness;
    await runCanary(host, { fixtures: 3, concurrency: 8 });
    const breakIt = (note: string) =>
      saveModelConfig(workspace, 'fixable', { ...workspace.fleet.requireModel('fixable').config, promptVariant: 'BASE' }, note);
    // The change under test breaks the model: BASE gets prose, no JSON.
    breakIt('try the base prompt');
    const report = await runRegression(host, { kind: 'model', name: 'fixable' }, { fixtures: 6 });
    expect(report.regressions).toEqual(['fixable']);
    expect(host.state.health('fixable')).toMatchObject({ disabled: true, disabledReason: expect.stringMatching(/^auto-disabled after 5 /) });
    expect(rollbackChange(host, report.runId)).toEqual({ kind: 'model', name: 'fixable', version: 3, reenabled: ['fixable'] });
    expect(host.state.health('fixable')).toMatchObject({ disabled: false });

    // Disabled before the next gate started: its rollback does not undo what the gate did not do.
    host.state.setDisabled('fixable', true, 'auto-disabled after 5 consecutive failed predictions (last: timeout)', new Date(Date.now() - 60_000).toISOString());
    breakIt('the base prompt again');
    const second = await runRegression(host, { kind: 'model', name: 'fixable' }, { fixtures: 6 });
    expect(rollbackChange(host, second.runId)).toMatchObject({ kind: 'model', name: 'fixable', reenabled: [] });
    expect(host.state.health('fixable')).toMatchObject({ disabled: true });

    // Disabled again after the gate had finished (a later run): not the gate's rollback to undo either.
    enableModel(host, 'fixable');
    breakIt('the base prompt a third time');
    const third = await runRegression(host, { kind: 'model', name: 'fixable' }, { fixtures: 6 });
    host.state.setDisabled('fixable', true, 'auto-disabled after 5 consecutive failed predictions (last: parse_error)', new Date(Date.now() + 60_000).toISOString());
    expect(rollbackChange(host, third.runId)).toMatchObject({ reenabled: [] });
    expect(host.state.health('fixable')).toMatchObject({ disabled: true });
  });

  it('compares a working model with its last clean run, so one flaky run does not hide a change that breaks it', async () => {
    harness = await openHarness({ models: [clean('steady-a'), literal] });
    const { host, simulator, workspace } = harness;
    for (let round = 0; round < 3; round++) await runCanary(host, { fixtures: 3, concurrency: 8 });
    expect(fleetLifecycle(workspace).models.find((entry) => entry.model.id === 'literal')?.derived.status).toBe('working');
    // One flaky canary: a single refused request leaves one fixture unanswered.
    simulator.injectFault({ kind: 'content-policy', count: 1, target: { model: 'literal' } });
    const flaky = await runCanary(host, { fixtures: 3, concurrency: 8 });
    expect(flaky.models.find((model) => model.modelId === 'literal')).toMatchObject({ predictions: 3, succeeded: 2 });

    const rules = loadPromptCatalog(workspace).task.components.find((component) => component.key === 'rules')!;
    savePromptChange(workspace, { kind: 'component', key: 'rules', text: `${rules.text}\n- Answer in English only.` }, 'insist on English');
    const report = await runRegression(host, { kind: 'component', name: 'rules' }, { fixtures: 3 });
    expect(report).toMatchObject({ status: 'regressed', regressions: ['literal'], rollback: { kind: 'component', name: 'rules', toVersion: 1 } });
    expect(report.models).toEqual([
      { modelId: 'literal', baselineSuccessRate: 1, successRate: 0, verdict: 'regression', warnings: [], unsent: 0 },
      { modelId: 'steady-a', baselineSuccessRate: 1, successRate: 1, verdict: 'ok', warnings: [], unsent: 0 },
    ]);
  });

  it('never takes a one-fixture check as the clean baseline of a model that was always stuck on 1-0', async () => {
    // Stuck from the start: a check (one fixture) answers cleanly; no canary ever did.
    const parrot: HarnessModel = { id: 'parrot', profile: { style: 'clean', skill: 'stuck' } };
    harness = await openHarness({ models: [parrot] });
    const { host, workspace } = harness;
    const check = await runCanary(host, { kind: 'check', fixtures: 1, concurrency: 8 });
    expect(check.models[0]).toMatchObject({ succeeded: 1, warnings: [] });
    const rules = loadPromptCatalog(workspace).task.components.find((component) => component.key === 'rules')!;
    savePromptChange(workspace, { kind: 'component', key: 'rules', text: `${rules.text}\n- Be brief.` }, 'shorter');

    const report = await runRegression(host, { kind: 'component', name: 'rules' }, { fixtures: 5 });
    // Not a regression the change caused: the model never answered a canary cleanly.
    expect(report.models.find((model) => model.modelId === 'parrot')).toMatchObject({ verdict: 'still_failing' });
    expect(report.regressions).toEqual([]);
  });

  it('calls a change that makes a working model answer 1-0 to everything a regression, though every fixture was answered', async () => {
    // Valid JSON for every fixture, so the success rate stays 100%: only the quality check sees it.
    const parrot: HarnessModel = { id: 'parrot', profile: { style: 'clean', variants: { ENGLISH_ONLY: { skill: 'stuck' } } } };
    harness = await openHarness({ models: [clean('steady-a'), parrot] });
    const { host, workspace } = harness;
    const before = await runCanary(host, { fixtures: 5, concurrency: 8 });
    expect(before.models.map((model) => model.warnings)).toEqual([[], []]);
    const rules = loadPromptCatalog(workspace).task.components.find((component) => component.key === 'rules')!;
    savePromptChange(workspace, { kind: 'component', key: 'rules', text: `${rules.text}\n- Answer in English only.` }, 'insist on English');

    const report = await runRegression(host, { kind: 'component', name: 'rules' }, { fixtures: 5 });
    expect(report).toMatchObject({ status: 'regressed', regressions: ['parrot'], rollback: { kind: 'component', name: 'rules', toVersion: 1 } });
    const stuck = report.models.find((model) => model.modelId === 'parrot')!;
    expect(stuck).toMatchObject({ baselineSuccessRate: 1, successRate: 1, verdict: 'regression' });
    expect(stuck.warnings).toEqual(['answered 1-0 for 5 of 5 fixtures (100%, limit 50%)']);
    expect(report.models.find((model) => model.modelId === 'steady-a')).toMatchObject({ verdict: 'ok', warnings: [] });
    // The report stored with the run (made before its summary was saved) says the same.
    expect(host.runs.getRun(report.runId)?.summary).toMatchObject({ regression: report });
    expect(regressionReport(host, report.runId)).toEqual(report);
  });

  it('runs a one-model change on exactly that model plus 5 working models, drawn as the plan showed', async () => {
    const working = ['w-1', 'w-2', 'w-3', 'w-4', 'w-5', 'w-6', 'w-7', 'w-8'];
    harness = await openHarness({ models: [...working.map(clean), fixable] });
    const { host, workspace } = harness;
    for (let round = 0; round < 3; round++) await runCanary(host, { fixtures: 1, concurrency: 16 });
    expect(fleetLifecycle(workspace).models.filter((entry) => entry.derived.status === 'working').map((entry) => entry.model.id)).toEqual(working);

    const version = saveModelConfig(workspace, 'fixable', { ...workspace.fleet.requireModel('fixable').config, promptVariant: 'JSON_STRICT' }, 'ask for JSON only');
    const plan = planChange(workspace, resolveChange(workspace, { kind: 'model', name: 'fixable' }));
    expect(plan).toMatchObject({ change: `model fixable config v${version}`, blastRadius: 'model', affected: ['fixable'] });
    expect(plan.tested).toHaveLength(6);
    expect(plan.tested[0]).toBe('fixable');
    expect(working).toEqual(expect.arrayContaining(plan.tested.slice(1)));
    expect(planChange(workspace, resolveChange(workspace, { kind: 'model', name: 'fixable' })).tested).toEqual(plan.tested);

    const report = await runRegression(host, { kind: 'model', name: 'fixable' });
    const run = host.runs.getRun(report.runId)!;
    expect([...new Set(run.items.map((item) => item.modelId))].sort()).toEqual([...plan.tested].sort());
    expect(run.items).toHaveLength(6 * 5);
    expect(report.status).toBe('passed');
    expect(report.models.map((model) => [model.modelId, model.verdict])).toEqual(plan.tested.map((id) => [id, id === 'fixable' ? 'fixed' : 'ok']));
    expect(regressionReport(host, report.runId)).toEqual(report);
  });

  it('refuses to gate a version that is no longer the one in use', async () => {
    harness = await openHarness({ models: [clean('steady-a')] });
    const { workspace } = harness;
    savePromptChange(workspace, { kind: 'variant', name: 'JSON_STRICT', text: 'JSON only, please.' }, 'shorter');
    savePromptChange(workspace, { kind: 'variant', name: 'JSON_STRICT', text: 'Reply with the JSON only.' }, 'back');
    expect(() => resolveChange(workspace, { kind: 'variant', name: 'JSON_STRICT', version: 2 })).toThrow('variant JSON_STRICT is at v3, not v2');
  });
});
