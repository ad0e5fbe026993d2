import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test-support/cli';
import { makeTempDir } from '../../test-support/temp-dir';

const temp = makeTempDir('fleetdeck-canary-cli-');
const env = { FLEETDECK_SIMULATOR_LATENCY_SCALE: '0' };
beforeAll(() => {
  expect(runCli(['--data-dir', temp.dir, 'init']).code).toBe(0);
});
afterAll(() => temp.cleanup());

describe('fleetdeck canary', () => {
  it('prints exactly one JSON object with the documented fields and exits 0 when every fixture is answered', () => {
    const result = runCli(
      [
        '--data-dir',
        temp.dir,
        'canary',
        '--models',
        'together/llama-3.3-70b,together/qwen-2.5-72b',
        '--fixtures',
        '3',
        '--json',
      ],
      { env },
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(Object.keys(report).sort()).toEqual(['models', 'runId', 'simulated', 'task', 'totals']);
    expect(report.simulated).toBe(true);
    expect(report.task).toBe('football-score');
    expect(report.models).toHaveLength(2);
    for (const model of report.models) {
      expect(model).toMatchObject({ predictions: 3, succeeded: 3, viaFallback: 0, errors: {} });
      expect(Object.keys(model)).toEqual(
        expect.arrayContaining([
          'modelId',
          'status',
          'predictions',
          'succeeded',
          'viaFallback',
          'costUsd',
          'p50LatencyMs',
          'errors',
          'warnings',
        ]),
      );
      expect(model.costUsd).toBeGreaterThan(0);
    }
    expect(report.totals).toMatchObject({ predictions: 6, succeeded: 6, budgetUsd: 5 });
    expect(result.stderr).toContain('6/6 done');
  });

  it('exits 1 when a model leaves fixtures unanswered, and writes a JUnit report naming it', () => {
    const junit = path.join(temp.dir, 'canary.xml');
    const result = runCli(
      [
        '--data-dir',
        temp.dir,
        'canary',
        '--models',
        'together/nemotron-70b',
        '--fixtures',
        '2',
        '--json',
        '--junit',
        junit,
      ],
      { env },
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.models[0]).toMatchObject({
      modelId: 'together/nemotron-70b',
      succeeded: 0,
      errors: { not_found: 2 },
    });
    const xml = fs.readFileSync(junit, 'utf8');
    expect(xml).toContain('<testsuite name="fleetdeck canary');
    expect(xml).toContain('name="together/nemotron-70b"');
    expect(xml).toContain('<failure message="2 of 2 fixtures unanswered');
  });

  it('reports each model with the status `fleetdeck status` shows: validating after one clean canary, working after 3', () => {
    const models = ['together/deepseek-v3', 'together/mistral-7b'];
    const statusOf = () => {
      const status = JSON.parse(
        runCli(['--data-dir', temp.dir, 'status', '--json'], { env }).stdout,
      );
      return status.models
        .filter((row: { id: string }) => models.includes(row.id))
        .map((row: { id: string; status: string; reason: string }) => ({
          modelId: row.id,
          status: row.status,
          statusReason: row.reason,
        }));
    };
    const canary = () => {
      const result = runCli(
        [
          '--data-dir',
          temp.dir,
          'canary',
          '--models',
          models.join(','),
          '--fixtures',
          '2',
          '--json',
        ],
        { env },
      );
      expect(result.code).toBe(1);
      return JSON.parse(result.stdout).models.map(
        (model: { modelId: string; status: string; statusReason: string }) => ({
          modelId: model.modelId,
          status: model.status,
          statusReason: model.statusReason,
        }),
      );
    };
    const first = canary();
    expect(first).toEqual([
      {
        modelId: 'together/deepseek-v3',
        status: 'untested',
        statusReason: 'validating: 1 of 3 clean canaries on config v1',
      },
      {
        modelId: 'together/mistral-7b',
        status: 'failing',
        statusReason: expect.stringMatching(/^0\/2 answered by the model/),
      },
    ]);
    expect(statusOf()).toEqual(first);
    canary();
    const third = canary();
    expect(third[0]).toEqual({
      modelId: 'together/deepseek-v3',
      status: 'working',
      statusReason: '3 consecutive clean canaries on config v1',
    });
    expect(statusOf()).toEqual(third);
  });

  it('refuses bad usage with exit 2 and a one-line message', () => {
    expect(runCli(['--data-dir', temp.dir, 'canary'], { env })).toMatchObject({
      code: 2,
      stderr: 'fleetdeck: choose the models: --all or --models a,b (or --resume RUN)\n',
    });
    expect(
      runCli(['--data-dir', temp.dir, 'canary', '--all', '--fixtures', 'many'], { env }),
    ).toMatchObject({
      code: 2,
      stderr: 'fleetdeck: --fixtures must be a whole number from 1 to 100000 (got "many")\n',
    });
    expect(
      runCli(['--data-dir', temp.dir, 'canary', '--models', 'no/such-model'], { env }),
    ).toMatchObject({ code: 2, stderr: 'fleetdeck: unknown model: no/such-model\n' });
  });
});
