import { afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src-shared/errors';
import {
  FAST_ENGINE,
  type Harness,
  type HarnessModel,
  openHarness,
} from '../../test-support/engine-harness';
import { runCanary } from './canary';
import { runCompare } from './compare';
import { rollbackConfig, saveModelConfig, trialConfigVersion } from './config-versions';
import { modelDetail } from './lifecycle';
import { resolveChange } from './regression';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** Prose without JSON under BASE; clean JSON under JSON_STRICT (a draft that fixes it). */
const LITERAL: HarnessModel = {
  id: 'literal',
  profile: { style: 'prose-only', variants: { JSON_STRICT: { style: 'clean' } } },
};

/** One attempt per call and a breaker that opens after 3 failures: every count is visible. */
const ONE_TRY_BREAKER_3 = {
  breaker: { failureThreshold: 3, cooldownMs: 60_000 },
  retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 },
};

/**
 * literal's current config (BASE: prose) beside a JSON_STRICT trial, one cell at a time: the
 * current column fails every fixture, the trial answers every one.
 */
async function currentBesideStrictTrial(opened: Harness, fixtures: number): Promise<void> {
  const { host, workspace } = opened;
  const draft = { ...workspace.fleet.requireModel('literal').config, promptVariant: 'JSON_STRICT' };
  const trial = trialConfigVersion(workspace, 'literal', draft);
  const view = await runCompare(
    host,
    [trial.current, trial.trial].map((configVersion) => ({ modelId: 'literal', configVersion })),
    fixtures,
    { concurrency: 1 },
  );
  expect(view.rows.map((row) => row.cells.map((cell) => cell?.errorClass ?? null))).toEqual(
    Array.from({ length: fixtures }, () => ['parse_error', null]),
  );
}

describe('trying a draft config without making it current', () => {
  it('stores the draft as a version of its own, runs it beside the current one, and leaves the model as it was', async () => {
    // Prose without JSON under BASE; clean JSON under JSON_STRICT. A breaker that opens after 3.
    harness = await openHarness({
      models: [LITERAL],
      engineOptions: ONE_TRY_BREAKER_3,
    });
    const { host, workspace } = harness;
    const current = workspace.fleet.requireModel('literal');
    const draft = { ...current.config, promptVariant: 'JSON_STRICT' };

    const trial = trialConfigVersion(workspace, 'literal', draft);
    expect(trial).toEqual({ current: 1, trial: 2, created: true });
    expect(workspace.fleet.requireModel('literal').configVersion).toBe(1);
    expect(workspace.fleet.getConfigVersion('literal', 2)?.note).toContain('not made current');
    // The same draft again reuses its version.
    expect(trialConfigVersion(workspace, 'literal', draft)).toEqual({
      current: 1,
      trial: 2,
      created: false,
    });

    const view = await runCompare(
      host,
      [
        { modelId: 'literal', configVersion: 1 },
        { modelId: 'literal', configVersion: 2 },
      ],
      5,
      { concurrency: 1 },
    );
    expect(view.rows).toHaveLength(5);
    expect(view.rows.map((row) => row.cells.map((cell) => cell?.errorClass ?? null))).toEqual(
      Array.from({ length: 5 }, () => ['parse_error', null]),
    );
    const records = host.runs.records({ runId: view.runId });
    expect(new Set(records.map((record) => record.configVersion))).toEqual(new Set([1, 2]));

    expect(workspace.fleet.requireModel('literal').configVersion).toBe(1);
  });

  it("counts a trial's unusable replies neither toward auto-disable nor toward the circuit for other work", async () => {
    harness = await openHarness({
      models: [{ id: 'literal', profile: { style: 'prose-only' } }],
      engineOptions: ONE_TRY_BREAKER_3,
    });
    const { host, workspace } = harness;
    const config = workspace.fleet.requireModel('literal').config;
    // Two drafts, both answered in prose: ten unusable replies in a row, past the breaker's 3.
    const first = trialConfigVersion(workspace, 'literal', { ...config, temperature: 0.5 });
    const second = trialConfigVersion(workspace, 'literal', { ...config, temperature: 0.6 });
    const view = await runCompare(
      host,
      [first.trial, second.trial].map((configVersion) => ({ modelId: 'literal', configVersion })),
      5,
      { concurrency: 1 },
    );
    expect(new Set(view.rows.flatMap((row) => row.cells.map((cell) => cell?.errorClass)))).toEqual(
      new Set(['parse_error']),
    );
    expect(host.state.health('literal').consecutiveFailures).toBe(0);
    // The next canary is sent (and fails on its own reply), not refused with the circuit open.
    const after = await runCanary(host, { models: ['literal'], fixtures: 1, concurrency: 1 });
    expect(after.models[0]?.errors).toEqual({ parse_error: 1 });
  });

  it("does not let a trial's success close the circuit the current config opened", async () => {
    // Prose under BASE (the current config fails), clean JSON under JSON_STRICT (the draft works).
    harness = await openHarness({
      models: [LITERAL],
      engineOptions: ONE_TRY_BREAKER_3,
    });
    const { host, workspace } = harness;
    const opened = await runCanary(host, { models: ['literal'], fixtures: 4, concurrency: 1 });
    expect(opened.models[0]?.errors).toEqual({ parse_error: 3, circuit_open: 1 });
    const draft = {
      ...workspace.fleet.requireModel('literal').config,
      promptVariant: 'JSON_STRICT',
    };
    const trial = trialConfigVersion(workspace, 'literal', draft);
    // A compare of the trial alone beside another trial: its successes say nothing of v1.
    const other = trialConfigVersion(workspace, 'literal', { ...draft, temperature: 0.4 });
    const view = await runCompare(
      host,
      [trial.trial, other.trial].map((configVersion) => ({ modelId: 'literal', configVersion })),
      2,
      { concurrency: 1 },
    );
    expect(view.rows.flatMap((row) => row.cells.map((cell) => cell?.errorClass ?? null))).toEqual([
      null,
      null,
      null,
      null,
    ]);
    const still = await runCanary(host, { models: ['literal'], fixtures: 1, concurrency: 1 });
    expect(still.models[0]?.errors).toEqual({ circuit_open: 1 });
  });

  it("counts the current config's own failures in a compare toward the circuit, as a canary's", async () => {
    harness = await openHarness({
      models: [LITERAL],
      engineOptions: ONE_TRY_BREAKER_3,
    });
    const { host } = harness;
    await currentBesideStrictTrial(harness, 3);
    // v1 failed three times as it runs (the trial's successes between them close nothing).
    const after = await runCanary(host, { models: ['literal'], fixtures: 1, concurrency: 1 });
    expect(after.models[0]?.errors).toEqual({ circuit_open: 1 });
    // Auto-disable counts no compare cell, either way.
    expect(host.state.health('literal').consecutiveFailures).toBe(0);
  });

  it("takes a column that names the model's own variant for its current config", async () => {
    harness = await openHarness({
      models: [LITERAL, { id: 'other', profile: { style: 'clean' } }],
      engineOptions: ONE_TRY_BREAKER_3,
    });
    const { host } = harness;
    // "literal#BASE" is literal as it runs (BASE is its variant): its three failures open the circuit.
    await runCompare(
      host,
      [{ modelId: 'literal', promptVariant: 'BASE' }, { modelId: 'other' }],
      3,
      { concurrency: 1 },
    );
    const after = await runCanary(host, { models: ['literal'], fixtures: 1, concurrency: 1 });
    expect(after.models[0]?.errors).toEqual({ circuit_open: 1 });
  });

  it('counts a draft whose requests the provider refuses (too long for the context window) neither toward auto-disable nor toward the circuit', async () => {
    harness = await openHarness({
      models: [{ id: 'narrow', profile: { style: 'clean', contextWindow: 3000 } }],
      engineOptions: ONE_TRY_BREAKER_3,
    });
    const { host, workspace } = harness;
    const config = workspace.fleet.requireModel('narrow').config;
    // Two drafts, each with an override of about 4000 tokens: every cell is an HTTP 400.
    const first = trialConfigVersion(workspace, 'narrow', {
      ...config,
      promptOverride: 'a '.repeat(8000),
    });
    const second = trialConfigVersion(workspace, 'narrow', {
      ...config,
      promptOverride: 'b '.repeat(8000),
    });
    const view = await runCompare(
      host,
      [first.trial, second.trial].map((configVersion) => ({ modelId: 'narrow', configVersion })),
      3,
      { concurrency: 1 },
    );
    expect(new Set(view.rows.flatMap((row) => row.cells.map((cell) => cell?.errorClass)))).toEqual(
      new Set(['bad_request']),
    );
    expect(host.state.health('narrow').consecutiveFailures).toBe(0);
    // Six refusals in a row, past the breaker's 3: the model's own config is still sent, and answers.
    const after = await runCanary(host, { models: ['narrow'], fixtures: 1, concurrency: 1 });
    expect(after.models[0]).toMatchObject({ succeeded: 1, errors: {} });
  });

  it("does not let a trial's successes reset the failures the current config has counted", async () => {
    // Prose under BASE (the current config fails), clean JSON under JSON_STRICT (the draft works).
    harness = await openHarness({
      models: [
        {
          id: 'literal',
          profile: { style: 'prose-only', variants: { JSON_STRICT: { style: 'clean' } } },
        },
      ],
      engineOptions: { retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } },
    });
    const { host } = harness;
    await runCanary(host, { models: ['literal'], fixtures: 2, concurrency: 1 });
    expect(host.state.health('literal').consecutiveFailures).toBe(2);
    await currentBesideStrictTrial(harness, 3);
    // The compare counted nothing toward auto-disable: the canary's two failures stand.
    expect(host.state.health('literal').consecutiveFailures).toBe(2);
  });

  it('compares with the current config even when an older version holds the same config (after a rollback)', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    const { workspace } = harness;
    const a = workspace.fleet.requireModel('m').config;
    const b = { ...a, temperature: 0.7 };
    expect(saveModelConfig(workspace, 'm', b, 'warmer')).toBe(2);
    expect(rollbackConfig(workspace, 'm', 1)).toBe(3);
    // v3 is A again: trying A is trying the current config, refused as such (not "v1 beside v3").
    expect(() => trialConfigVersion(workspace, 'm', a)).toThrow(
      "the draft is v3, m's current config",
    );
    // B is tried as the version that holds it; nothing new is stored.
    expect(trialConfigVersion(workspace, 'm', b)).toEqual({ current: 3, trial: 2, created: false });
    expect(workspace.fleet.configHistory('m').map((entry) => entry.version)).toEqual([1, 2, 3]);
    // Once A is no longer current, it is tried as the newest version holding it (v3, not v1).
    expect(saveModelConfig(workspace, 'm', { ...a, timeoutMs: 9_000 }, 'less time')).toBe(4);
    expect(trialConfigVersion(workspace, 'm', a)).toEqual({ current: 4, trial: 3, created: false });
  });

  it('is never taken for the config a later version replaced: the gate rolls back past it, and it is no fix attempt', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    const { host, workspace } = harness;
    const config = workspace.fleet.requireModel('m').config;
    expect(trialConfigVersion(workspace, 'm', { ...config, temperature: 0.7 }).trial).toBe(2);
    const saved = saveModelConfig(
      workspace,
      'm',
      { ...config, timeoutMs: 12_000 },
      'shorter timeout',
    );
    expect(saved).toBe(3);
    // v3 replaced v1 (v2 was only tried): a regression of v3 rolls back to v1.
    expect(resolveChange(workspace, { kind: 'model', name: 'm' })).toMatchObject({
      version: 3,
      previousVersion: 1,
    });
    const detail = modelDetail(host, 'm');
    expect(detail.versions.map((version) => [version.version, version.trial])).toEqual([
      [1, false],
      [2, true],
      [3, false],
    ]);
    expect(detail.fixAttempts.map((attempt) => attempt.version)).not.toContain(2);
  });

  it('refuses the current config and a draft that fails its checks, naming why, and stores nothing', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    const { workspace } = harness;
    const config = workspace.fleet.requireModel('m').config;
    expect(() => trialConfigVersion(workspace, 'm', config)).toThrow(InputError);
    expect(() => trialConfigVersion(workspace, 'm', config)).toThrow(
      "the draft is v1, m's current config",
    );
    expect(() =>
      trialConfigVersion(workspace, 'm', { ...config, promptVariant: 'NO_SUCH_VARIANT' }),
    ).toThrow(/NO_SUCH_VARIANT/);
    expect(workspace.fleet.configHistory('m').map((entry) => entry.version)).toEqual([1]);
  });
});
