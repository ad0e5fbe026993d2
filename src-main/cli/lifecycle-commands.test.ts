import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli';
import { makeTempDir } from '../../test-support/temp-dir';

const temp = makeTempDir('fleetdeck-lifecycle-cli-');
const env = { FLEETDECK_SIMULATOR_LATENCY_SCALE: '0' };
const cli = (...args: string[]) => runCli(['--data-dir', temp.dir, ...args], { env });
const MISTRAL = 'together/mistral-7b';
const LLAMA = 'together/llama-3.3-70b';

beforeAll(() => {
  expect(cli('init').code).toBe(0);
});
afterAll(() => temp.cleanup());

describe('fleetdeck lifecycle commands', () => {
  it('fixes a model with a config version, then gates a variant edit that breaks it: exit 1, JSON and JUnit', () => {
    expect(cli('config', 'set', MISTRAL, '--variant', 'JSON_STRICT')).toMatchObject({ code: 2, stderr: 'fleetdeck: say what this fix attempt tries: --note "..."\n' });
    expect(cli('config', 'set', MISTRAL, '--variant', 'JSON_STRICT', '--note', 'prose without JSON: ask for JSON only')).toMatchObject({
      code: 0,
      stdout: `${MISTRAL} config v2; gate it: fleetdeck regress --change model:${MISTRAL}@2\n`,
    });
    expect(cli('canary', '--models', MISTRAL, '--fixtures', '3').code).toBe(0);
    const text = path.join(temp.dir, 'json-strict.txt');
    fs.writeFileSync(text, 'No Markdown code fences, no explanation, no text before or after the JSON.');
    expect(cli('prompt', 'save', 'variant:JSON_STRICT', '--file', text, '--note', 'shorter').stdout).toMatch(/^variant JSON_STRICT v2; the gate tests \d+ models/);

    const junit = path.join(temp.dir, 'gate.xml');
    const gate = cli('regress', '--json', '--junit', junit, '--fixtures', '3');
    expect(gate.code).toBe(1);
    const report = JSON.parse(gate.stdout);
    expect(report).toMatchObject({ change: 'variant JSON_STRICT v2', status: 'regressed', regressions: [MISTRAL], rollback: { kind: 'variant', name: 'JSON_STRICT', toVersion: 1 } });
    expect(report.plan.affected).toEqual([MISTRAL]);
    expect(gate.stderr).toContain('plan: variant JSON_STRICT v2 (blast radius variant, seed ');
    expect(fs.readFileSync(junit, 'utf8')).toContain(`<testcase classname="regression" name="${MISTRAL}" time="0.000">\n    <failure message="regression: 100% before, 0% now">`);
    expect(cli('regress', '--change', 'variant:JSON_STRICT@1')).toMatchObject({ code: 2, stderr: 'fleetdeck: variant JSON_STRICT is at v2, not v1: the gate tests the version in use\n' });
    expect(cli('regress', '--change', 'prompt:x').code).toBe(2);
  });

  it('rolls back the change a regressed gate tested, and lists a model\'s config versions with their notes', () => {
    // JSON_STRICT is at the v2 the gate above caught breaking mistral.
    const gate = cli('regress', '--change', 'variant:JSON_STRICT', '--fixtures', '2');
    expect(gate.code).toBe(1);
    const runId = /^gate (\S+): /m.exec(gate.stdout)?.[1];
    expect(gate.stdout).toContain(`gate ${runId}: variant JSON_STRICT v2 regressed; back to v1: fleetdeck regress --rollback ${runId}\n`);
    expect(cli('regress', '--rollback', runId!)).toMatchObject({
      code: 0,
      // This gate's failures auto-disabled mistral: the rollback restores it.
      stdout:
        `variant JSON_STRICT v3 (equal to v1), rolled back after gate ${runId}; gate it: fleetdeck regress --change variant:JSON_STRICT@3\n` +
        "re-enabled (the gate's failures had auto-disabled them): together/mistral-7b\n",
    });
    expect(cli('regress', '--rollback', runId!)).toMatchObject({
      code: 2,
      stderr: `fleetdeck: variant JSON_STRICT is at v3 now, not the v2 gate ${runId} tested: roll back from its history instead\n`,
    });
    expect(cli('regress', '--rollback', 'no-such-run').code).toBe(2);
    const again = cli('regress', '--change', 'variant:JSON_STRICT@3', '--fixtures', '2', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'passed', models: [{ modelId: MISTRAL, verdict: 'ok' }] });

    expect(cli('config', 'history', MISTRAL).stdout).toMatch(
      /^ {2}v1 {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}fleetdeck init: built-in simulated fleet\n\* v2 {2}\d{4}-\d\d-\d\d \d\d:\d\d {2}prose without JSON: ask for JSON only {2}\(promptVariant "BASE" -> "JSON_STRICT"\)\n$/,
    );
    expect(JSON.parse(cli('config', 'history', MISTRAL, '--json').stdout)).toMatchObject({
      modelId: MISTRAL,
      currentVersion: 2,
      versions: [
        { version: 1, note: 'fleetdeck init: built-in simulated fleet', current: false, changes: [] },
        { version: 2, note: 'prose without JSON: ask for JSON only', current: true, changes: [{ field: 'promptVariant', from: 'BASE', to: 'JSON_STRICT' }] },
      ],
    });
    expect(cli('config', 'history', 'no/such-model')).toMatchObject({ code: 2 });
  });

  it('tries a draft config beside the current one without making it current, and refuses the current config', () => {
    const own = makeTempDir('fleetdeck-config-try-');
    try {
      const run = (...args: string[]) => runCli(['--data-dir', own.dir, ...args], { env });
      expect(run('init').code).toBe(0);
      const tried = run('config', 'try', MISTRAL, '--variant', 'JSON_STRICT', '--fixtures', '2', '--json');
      expect(tried.code).toBe(0);
      expect(tried.stderr).toContain(`trying ${MISTRAL} v2 (not made current) beside v1`);
      const view = JSON.parse(tried.stdout);
      expect(view.columns.map((column: { configVersion: number; promptVariant: string }) => [column.configVersion, column.promptVariant])).toEqual([
        [1, 'BASE'],
        [2, 'JSON_STRICT'],
      ]);
      expect(view.rows).toHaveLength(2);
      const history = JSON.parse(run('config', 'history', MISTRAL, '--json').stdout);
      expect(history).toMatchObject({ currentVersion: 1, versions: [{ version: 1, current: true, trial: false }, { version: 2, current: false, trial: true, changes: [{ field: 'promptVariant', from: 'BASE', to: 'JSON_STRICT' }] }] });
      const text = run('config', 'history', MISTRAL).stdout;
      expect(text).toMatch(/^ {2}v2 \[trial\] .*trial from the CLI \(not made current; v1 was current\)/m);
      expect(text).toMatch(/^\* v1 {2}/m);
      // Trying the current config itself: nothing to try beside it; a usage error, nothing stored.
      expect(run('config', 'try', MISTRAL)).toMatchObject({ code: 2 });
      expect(run('config', 'try', MISTRAL).stderr).toContain(`the draft is v1, ${MISTRAL}'s current config`);
      expect(JSON.parse(run('config', 'history', MISTRAL, '--json').stdout).versions).toHaveLength(2);
    } finally {
      own.cleanup();
    }
  });

  it('compares one model at two config versions and another model, every cell in the JSON', () => {
    const result = cli('compare', '--columns', `${MISTRAL}@v1,${MISTRAL}@v2,${LLAMA}`, '--fixtures', '2', '--json');
    expect(result.code).toBe(0);
    const view = JSON.parse(result.stdout);
    expect(view.columns.map((column: { label: string }) => column.label)).toEqual([`${MISTRAL}@v1`, `${MISTRAL}@v2`, `${LLAMA}@v1`]);
    expect(view.rows).toHaveLength(2);
    expect(view.rows.flatMap((row: { cells: unknown[] }) => row.cells).every((cell: unknown) => cell !== null)).toBe(true);
  });

  it('exports model-status.json, imports it back with nothing to change, and refuses a truncated copy', () => {
    const file = path.join(temp.dir, 'model-status.json');
    expect(cli('export-status', file).code).toBe(0);
    const status = JSON.parse(fs.readFileSync(file, 'utf8'));
    expect(status.models[MISTRAL]).toMatchObject({ configVersion: 2, config: { promptVariant: 'JSON_STRICT' } });
    expect(cli('import-status', file, '--dry-run')).toMatchObject({ code: 0, stdout: 'nothing to change\n' });
    const truncated = path.join(temp.dir, 'truncated.json');
    fs.writeFileSync(truncated, fs.readFileSync(file, 'utf8').slice(0, 200));
    const refused = cli('import-status', truncated);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^fleetdeck: model-status\.json is not valid JSON \(truncated\?\): .*\nfleetdeck: nothing was imported\n$/);
  });

  it('flags an id the provider no longer serves and exits 1; estimates a pass and warns past the window', () => {
    const check = cli('check', '--models', `together/nemotron-70b,${LLAMA}`, '--json');
    expect(check.code).toBe(1);
    const report = JSON.parse(check.stdout);
    expect(report.models.map((model: { modelId: string; served: boolean; sanity: string }) => [model.modelId, model.served, model.sanity])).toEqual([
      ['together/nemotron-70b', false, 'failed'],
      [LLAMA, true, 'ok'],
    ]);
    const together = report.providers.find((provider: { provider: string }) => provider.provider === 'sim-together');
    expect(together).toMatchObject({ listed: true, served: together.ids.length, error: null });
    expect(together.ids).toEqual([...together.ids].sort());
    expect(together.ids).toContain('meta-llama/Llama-3.3-70B-Instruct-Turbo');
    expect(together.ids).not.toContain('nvidia/Llama-3.1-Nemotron-70B-Instruct-HF');
    // Asked about two models, the text says what concerns them, not the provider's whole list.
    const text = cli('check', '--models', `together/nemotron-70b,${LLAMA}`).stdout;
    const lines = text.split('\n');
    expect(lines[0]).toBe(`provider sim-together: serves ${together.ids.length} models (check --json lists them)`);
    expect(lines[1]).toMatch(/^together\/nemotron-70b +NOT SERVED FAILED not_found: /);
    expect(lines.slice(2)).toEqual(['    sim-together does not list nvidia/Llama-3.1-Nemotron-70B-Instruct-HF', `${LLAMA.padEnd(40)} served     ok`, '']);
    const estimate = cli('estimate', '--window', '0.01', '--json');
    expect(estimate.code).toBe(1);
    expect(JSON.parse(estimate.stdout)).toMatchObject({ windowMinutes: 0.01, models: 42, warning: expect.stringContaining('passes the 0.0 min window') });
  });

  it('judges one estimate by --window without changing the saved window, which --save changes', () => {
    expect(JSON.parse(cli('estimate', '--window', '0.01', '--json').stdout).windowMinutes).toBe(0.01);
    expect(JSON.parse(cli('estimate', '--json').stdout)).toMatchObject({ windowMinutes: 30, windowMs: 1_800_000 });
    expect(cli('estimate', '--save')).toMatchObject({ code: 2, stderr: 'fleetdeck: --save saves the window given with --window MIN\n' });
    expect(cli('estimate', '--window', '45', '--save').stderr).toBe('');
    expect(JSON.parse(cli('estimate', '--json').stdout)).toMatchObject({ windowMinutes: 45, windowMs: 2_700_000 });
    expect(cli('estimate', '--window', '30', '--save').stderr).toBe('');
  });

  it('shows success and cost by timeout tier in status --json and, for a model run at two tiers, in the text', () => {
    const model = 'together/deepseek-v3';
    expect(cli('canary', '--models', model, '--fixtures', '2').code).toBe(0);
    expect(cli('config', 'set', model, '--timeout', '45000', '--note', 'more time').code).toBe(0);
    expect(cli('canary', '--models', model, '--fixtures', '2').code).toBe(0);
    const status = JSON.parse(cli('status', '--json').stdout);
    const tiers = status.models.find((row: { id: string }) => row.id === model).timeoutTiers;
    expect(tiers).toEqual([
      { tierMs: 30_000, calls: 2, successRate: 1, costPerSuccessUsd: expect.any(Number) },
      { tierMs: 45_000, calls: 2, successRate: 1, costPerSuccessUsd: expect.any(Number) },
    ]);
    const text = cli('status').stdout;
    expect(text).toContain('By timeout tier (own success, cost per success, items; every tier in status --json):\n');
    const line = `${model}  ≤ 30 s 100% $${tiers[0].costPerSuccessUsd.toFixed(6)} x2   31–45 s 100% $${tiers[1].costPerSuccessUsd.toFixed(6)} x2`;
    expect(text).toContain(`\n${line}\n`);
  });

  it('saves nothing and says so when config set or rollback changes nothing', () => {
    const versions = () => JSON.parse(cli('config', 'history', LLAMA, '--json').stdout).versions.length;
    const before = versions();
    expect(cli('config', 'set', LLAMA, '--note', 'nothing')).toMatchObject({ code: 0, stdout: 'unchanged: config v1 already has these settings\n' });
    expect(cli('config', 'rollback', LLAMA, '1')).toMatchObject({ code: 0, stdout: 'unchanged: config v1 already has these settings\n' });
    expect(versions()).toBe(before);
  });

  it('takes config versions as history prints them (v2) or as numbers (2)', () => {
    const numbers = cli('config', 'diff', MISTRAL, '1', '2');
    expect(numbers.code).toBe(0);
    expect(numbers.stdout).toContain(`--- ${MISTRAL} v1\n+++ ${MISTRAL} v2\n`);
    expect(cli('config', 'diff', MISTRAL, 'v1', 'V2')).toEqual(numbers);
    expect(cli('config', 'diff', MISTRAL, 'v1', 'two')).toMatchObject({ code: 2, stderr: 'fleetdeck: TO must be a config version such as 3 or v3 (got "two")\n' });
  });

  it('warns on stderr, in the words fleet import uses, when config set gives a fallback over the cost ceiling', () => {
    const model = 'together/llama-3.2-3b';
    const fallback = 'together/llama-3.1-405b';
    const exported = path.join(temp.dir, 'fleet.json');
    expect(cli('fleet', 'export', exported).code).toBe(0);
    const fleet = JSON.parse(fs.readFileSync(exported, 'utf8'));
    const index = fleet.models.findIndex((entry: { id: string }) => entry.id === model);
    fleet.models[index].config.fallback = fallback;
    fs.writeFileSync(exported, JSON.stringify(fleet));
    const other = makeTempDir('fleetdeck-lifecycle-import-');
    try {
      const imported = runCli(['--data-dir', other.dir, 'fleet', 'import', exported], { env });
      const prefix = `warning: models[${index}].config.fallback: `;
      const importWarning = imported.stderr.split('\n').find((line) => line.startsWith(prefix))?.slice(prefix.length);
      expect(importWarning).toContain('the engine will refuse it');
      expect(cli('config', 'set', model, '--fallback', fallback, '--note', 'a bigger fallback')).toMatchObject({
        code: 0,
        stdout: `${model} config v2; gate it: fleetdeck regress --change model:${model}@2\n`,
        stderr: `warning: ${importWarning}\n`,
      });
    } finally {
      other.cleanup();
    }
  });

  it('refuses a --junit path that is a directory before the gate runs', () => {
    expect(cli('regress', '--change', 'variant:JSON_STRICT', '--junit', temp.dir)).toMatchObject({
      code: 2,
      stderr: `fleetdeck: cannot write ${temp.dir}: it is a directory (give a file name)\n`,
    });
  });
});
