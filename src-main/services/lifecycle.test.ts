import { afterEach, describe, expect, it } from 'vitest';
import { FleetStatusView, ModelDetailView } from '../../src-shared/ipc';
import { type Harness, openHarness } from '../../test-support/engine-harness';
import { runCanary } from './canary';
import {
  checkConfig,
  diffConfigVersions,
  rollbackConfig,
  saveModelConfig,
} from './config-versions';
import { enableModel, fleetStatusView, modelDetail, setVerdict } from './lifecycle';
import { savePromptChange } from './prompt-edits';
import { fleetStatus } from './status';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const statusOf = (id: string) =>
  fleetStatus(harness!.workspace).models.find((model) => model.id === id)!;

describe('model lifecycle', () => {
  it('calls a model working only after 3 consecutive clean canaries on its current config', async () => {
    harness = await openHarness({ models: [{ id: 'solid', profile: { style: 'clean' } }] });
    const { host, workspace } = harness;
    expect(statusOf('solid')).toMatchObject({
      status: 'untested',
      reason: 'no canary has run on config v1 yet',
    });
    await runCanary(host, { fixtures: 2, concurrency: 4 });
    expect(statusOf('solid')).toMatchObject({
      status: 'untested',
      reason: 'validating: 1 of 3 clean canaries on config v1',
    });
    await runCanary(host, { fixtures: 2, concurrency: 4 });
    expect(statusOf('solid').status).toBe('untested');
    const third = await runCanary(host, { fixtures: 2, concurrency: 4 });
    expect(statusOf('solid')).toMatchObject({
      status: 'working',
      reason: '3 consecutive clean canaries on config v1',
      workingSince: host.runs.getRun(third.runId)?.startedAt,
    });
    expect(fleetStatus(workspace).coverage).toEqual({
      working: 1,
      active: 1,
      unfixable: 0,
      eligible: 1,
      percent: 100,
      total: 1,
    });

    saveModelConfig(
      workspace,
      'solid',
      { ...workspace.fleet.requireModel('solid').config, timeoutMs: 20_000 },
      'shorter timeout',
    );
    expect(statusOf('solid')).toMatchObject({ status: 'untested', configVersion: 2 });
    rollbackConfig(workspace, 'solid', 1);
    expect(statusOf('solid')).toMatchObject({ status: 'working', configVersion: 3 });
  });

  it('refuses a config whose own fields disagree with a named problem, not a stack trace', async () => {
    harness = await openHarness({
      models: [
        {
          id: 'solid',
          profile: { style: 'clean' },
          config: { stream: true, timeoutMs: 30_000, firstTokenTimeoutMs: 20_000 },
        },
      ],
    });
    const { workspace } = harness;
    const config = workspace.fleet.requireModel('solid').config;
    expect(() =>
      saveModelConfig(workspace, 'solid', { ...config, timeoutMs: 10_000 }, 'shorter timeout'),
    ).toThrow(
      "config for solid refused: firstTokenTimeoutMs: first-token timeout 20000 ms is over the call's timeout of 10000 ms (got 20000)",
    );
    expect(workspace.fleet.requireModel('solid').configVersion).toBe(1);
  });

  it('does not count fixtures the model was never sent (budget exhausted) against it', async () => {
    harness = await openHarness({
      models: [{ id: 'solid', profile: { style: 'clean' } }],
      budget: { dailyUsd: 0.000001 },
    });
    const report = await runCanary(harness.host, { fixtures: 2, concurrency: 4 });
    expect(report.models[0]).toMatchObject({ succeeded: 0 });
    expect(
      harness.host.runs
        .records({ runId: report.runId })
        .map((record) => [record.attempt, record.errorClass]),
    ).toEqual([
      [0, 'budget_exceeded'],
      [0, 'budget_exceeded'],
    ]);
    expect(statusOf('solid')).toMatchObject({ status: 'untested', calls: 0, successRate: null });
  });

  it('shows a failing model as degraded while it recovers, not working after one clean run', async () => {
    harness = await openHarness({
      models: [
        {
          id: 'flaky',
          profile: { style: 'prose-only', variants: { JSON_STRICT: { style: 'clean' } } },
        },
      ],
    });
    const { host, workspace } = harness;
    await runCanary(host, { fixtures: 2, concurrency: 4 });
    expect(statusOf('flaky')).toMatchObject({
      status: 'failing',
      reason: '0/2 answered by the model; last error: parse_error',
    });
    // The config stays the same (so the failed run still counts); only the BASE variant's text changes.
    savePromptChange(
      workspace,
      { kind: 'variant', name: 'BASE', text: 'Reply with the JSON only.' },
      'ask every BASE model for JSON only',
    );
    await runCanary(host, { fixtures: 2, concurrency: 4 });
    expect(statusOf('flaky')).toMatchObject({
      status: 'degraded',
      reason: 'recovering: 1 of 3 clean canaries since the last failure on config v1',
    });
  });

  it('suggests unfixable, with the evidence, after 5 fix attempts that all stayed under 50% success', async () => {
    harness = await openHarness({
      models: [{ id: 'hopeless', profile: { style: 'garbage', skill: 'poor' } }],
    });
    const { host, workspace } = harness;
    const attempts = [
      { promptVariant: 'JSON_STRICT', note: 'ask for JSON only' },
      { promptVariant: 'ENGLISH_ONLY', note: 'maybe it drifts into another language' },
      { promptVariant: 'THINKING_STRIPPED', note: 'stop it thinking out loud' },
      { timeoutMs: 45_000, note: 'more time' },
      { responseHandler: 'strict' as const, note: 'strict parsing to see the raw failure' },
    ];
    await runCanary(host, { fixtures: 2, concurrency: 4 });
    for (const [index, { note, ...change }] of attempts.entries()) {
      expect(modelDetail(host, 'hopeless').unfixableSuggestion).toBeNull();
      saveModelConfig(
        workspace,
        'hopeless',
        { ...workspace.fleet.requireModel('hopeless').config, ...change },
        note,
      );
      await runCanary(host, { fixtures: 2, concurrency: 4 });
      expect(workspace.fleet.requireModel('hopeless').configVersion).toBe(index + 2);
    }
    const detail = modelDetail(host, 'hopeless');
    expect(ModelDetailView.parse(detail)).toEqual(detail);
    expect(detail.unfixableSuggestion).toEqual({
      reasons: [
        '5 fix attempts since it was added all stayed under 50% success (v2 0%, v3 0%, v4 0%, v5 0%, v6 0%)',
      ],
    });
    expect(
      detail.fixAttempts.map((attempt) => [attempt.version, attempt.note, attempt.successRate]),
    ).toEqual([
      [1, 'test harness', 0],
      ...attempts.map((attempt, index) => [index + 2, attempt.note, 0]),
    ]);
    expect(detail.timeoutTiers.map((tier) => [tier.tierMs, tier.calls])).toEqual([
      [30_000, 8],
      [45_000, 4],
    ]);

    setVerdict(
      workspace,
      { modelId: 'hopeless', verdict: 'unfixable', reason: detail.unfixableSuggestion!.reasons[0] },
      new Date('2030-01-01T00:00:00.000Z'),
    );
    const view = fleetStatusView(workspace);
    expect(FleetStatusView.parse(view)).toEqual(view);
    expect(view.models[0]).toMatchObject({
      status: 'unfixable',
      reason: expect.stringMatching(/; re-test (on|due since) 2030-04-01$/),
    });
    expect(view.coverage).toMatchObject({
      working: 0,
      active: 1,
      unfixable: 1,
      eligible: 0,
      percent: null,
      label: '0 of 0 active models working',
    });
    expect(modelDetail(host, 'hopeless').unfixableSuggestion).toBeNull();
  });

  it('records operator verdicts, requires a reason for unfixable, and re-enables a disabled model', async () => {
    harness = await openHarness({
      models: [
        { id: 'm-a', profile: { style: 'clean' } },
        { id: 'm-b', profile: { style: 'clean' } },
      ],
    });
    const { host, workspace } = harness;
    expect(() => setVerdict(workspace, { modelId: 'm-a', verdict: 'unfixable' })).toThrow(
      'say why the model is unfixable',
    );
    setVerdict(workspace, {
      modelId: 'm-a',
      verdict: 'inactive',
      reason: 'slow provider this week',
    });
    expect(statusOf('m-a')).toMatchObject({
      status: 'inactive',
      active: false,
      reason: 'slow provider this week',
    });
    setVerdict(workspace, { modelId: 'm-a', verdict: 'active' });
    expect(statusOf('m-a')).toMatchObject({ status: 'untested', active: true });

    host.state.setDisabled(
      'm-b',
      true,
      'auto-disabled after 5 consecutive failed predictions (last: timeout)',
      new Date().toISOString(),
    );
    expect(statusOf('m-b')).toMatchObject({
      status: 'disabled',
      reason: 'auto-disabled after 5 consecutive failed predictions (last: timeout)',
    });
    enableModel(host, 'm-b');
    expect(statusOf('m-b').status).toBe('untested');
  });

  it('refuses a fallback candidate on the model page that would close a cycle, wherever the cycle is reported from', async () => {
    // m-a already falls back to m-b; a cycle is reported from its first member (m-a), not from m-b.
    harness = await openHarness({
      models: [
        { id: 'm-a', profile: { style: 'clean' }, config: { fallback: 'm-b' } },
        { id: 'm-b', profile: { style: 'clean' } },
        { id: 'm-c', profile: { style: 'clean' } },
      ],
    });
    const detail = modelDetail(harness.host, 'm-b');
    expect(detail.fallbackOptions).toEqual([
      { id: 'm-a', allowed: false, why: 'fallback cycle: m-a -> m-b -> m-a' },
      { id: 'm-c', allowed: true, why: null },
    ]);
    expect(
      checkConfig(harness.workspace, 'm-b', { ...detail.config, fallback: 'm-a' }).problems,
    ).toEqual(['fallback: fallback cycle: m-a -> m-b -> m-a']);
  });

  it('refuses a config over the timeout ceiling or closing a fallback cycle, naming each problem, and diffs versions', async () => {
    harness = await openHarness({
      models: [
        { id: 'm-a', profile: { style: 'clean' } },
        { id: 'm-b', profile: { style: 'clean' }, config: { fallback: 'm-a' } },
        {
          id: 'm-c',
          profile: { style: 'clean' },
          pricing: { promptPer1M: 10, completionPer1M: 10 },
        },
      ],
    });
    const { workspace } = harness;
    const config = workspace.fleet.requireModel('m-a').config;
    expect(
      checkConfig(workspace, 'm-a', { ...config, timeoutMs: 75_000, fallback: 'm-b' }).problems,
    ).toEqual([
      'timeout 75000 ms is over the 60000 ms ceiling (90000 ms is allowed only for premium models)',
      'fallback: fallback cycle: m-a -> m-b -> m-a',
    ]);
    expect(checkConfig(workspace, 'm-a', { ...config, fallback: 'm-c' })).toEqual({
      problems: [],
      warnings: [
        'fallback "m-c" costs 10.0x "m-a", over the 3x ceiling: the engine will refuse it',
      ],
    });
    // Over the provider's limits: allowed (the engine fits them at call time), and said.
    workspace.fleet.upsertProvider({
      ...workspace.fleet.getProvider('sim-a')!,
      limits: { maxTokens: 1024, temperatureMin: 0, temperatureMax: 1, modelIdFormat: 'as-is' },
    });
    expect(checkConfig(workspace, 'm-a', { ...config, maxTokens: 4096, temperature: 1.5 })).toEqual({
      problems: [],
      warnings: [
        'maxTokens 4096 is more than provider "sim-a" accepts: calls send max_tokens 1024',
        'temperature 1.5 is outside provider "sim-a"\'s range 0–1: calls send 1',
      ],
    });
    expect(checkConfig(workspace, 'm-a', { ...config, maxTokens: 1024, temperature: 1 }).warnings).toEqual([]);
    expect(() =>
      saveModelConfig(workspace, 'm-a', { ...config, timeoutMs: 75_000 }, 'slower'),
    ).toThrow(/refused: timeout 75000 ms/);
    expect(workspace.fleet.requireModel('m-a').configVersion).toBe(1);
    expect(() =>
      saveModelConfig(workspace, 'm-a', { ...config, promptVariant: 'NO_SUCH' }, 'typo'),
    ).toThrow('prompt: prompt variant "NO_SUCH" does not exist');

    saveModelConfig(
      workspace,
      'm-a',
      { ...config, promptVariant: 'JSON_STRICT', timeoutMs: 45_000 },
      'strict JSON, more time',
    );
    expect(diffConfigVersions(workspace, 'm-a', 1, 2).changes).toEqual([
      { field: 'promptVariant', from: 'BASE', to: 'JSON_STRICT' },
      { field: 'timeoutMs', from: 5000, to: 45000 },
    ]);
    expect(diffConfigVersions(workspace, 'm-a', 1, 2).unified).toContain(
      '- promptVariant: "BASE"\n+ promptVariant: "JSON_STRICT"',
    );
    expect(rollbackConfig(workspace, 'm-a', 1)).toBe(3);
    expect(workspace.fleet.configHistory('m-a').map((entry) => entry.note)).toEqual([
      'test harness',
      'strict JSON, more time',
      'rollback from v2 to v1',
    ]);
  });
});
