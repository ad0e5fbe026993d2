import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli } from '../../test-support/cli';
import { makeTempDir } from '../../test-support/temp-dir';
import { FleetRepository, openDatabase } from '../store';

const temp = makeTempDir('fleetdeck-canary-cli-');
const env = { FLEETDECK_SIMULATOR_LATENCY_SCALE: '0' };
beforeAll(() => {
  expect(runCli(['--data-dir', temp.dir, 'init']).code).toBe(0);
});
afterAll(() => temp.cleanup());

function runCount(dataDir: string): number {
  const db = openDatabase(dataDir);
  try {
    return (db.prepare('SELECT COUNT(*) AS count FROM runs').get() as { count: number }).count;
  } finally {
    db.close();
  }
}

describe('fleetdeck canary', () => {
  it('labels only simulated models as simulated when a real provider sits beside the built-in one', () => {
    const mixed = makeTempDir('fleetdeck-mixed-');
    try {
      expect(runCli(['--data-dir', mixed.dir, 'init']).code).toBe(0);
      const file = path.join(mixed.dir, 'real.json');
      // A real provider nothing listens on (port 9): its calls fail at once, but they are real calls.
      fs.writeFileSync(
        file,
        JSON.stringify({
          version: 1,
          task: 'football-score',
          providers: [
            { id: 'p1', baseUrl: 'http://127.0.0.1:9/v1' },
            { id: 'p2', baseUrl: 'http://127.0.0.1:9/v1', apiKeyEnv: 'FLEETDECK_TEST_UNSET_KEY' },
          ],
          models: [
            { id: 'p1/a', provider: 'p1', providerModelId: 'a' },
            { id: 'p2/b', provider: 'p2', providerModelId: 'b' },
          ],
        }),
      );
      expect(runCli(['--data-dir', mixed.dir, 'fleet', 'import', file]).code).toBe(0);
      const real = runCli(['--data-dir', mixed.dir, 'canary', '--models', 'p1/a', '--fixtures', '1'], { env });
      expect(real.code).toBe(1);
      expect(real.stdout).not.toMatch(/SIMULATED/);
      // The text says why, under the model's line: the refused connection, the key not set.
      expect(real.stdout).toMatch(/^p1\/a .+ errors \{"network":\d+\}\n(?: {4}.*\n)*? {4}.*ECONNREFUSED/m);
      const keyless = runCli(['--data-dir', mixed.dir, 'canary', '--models', 'p2/b', '--fixtures', '1'], { env });
      expect(keyless.stdout).toMatch(/^p2\/b .+ errors \{"auth":1\}\n(?: {4}.*\n)*? {4}.*environment variable FLEETDECK_TEST_UNSET_KEY is not set/m);
      const both = runCli(['--data-dir', mixed.dir, 'canary', '--models', 'p1/a,together/mistral-7b', '--fixtures', '1'], { env });
      expect(both.stdout).toMatch(/\(1 of 2 models SIMULATED: their calls went to the built-in simulator and their costs are simulated\)\n$/);
      expect(runCli(['--data-dir', mixed.dir, 'status']).stdout.split('\n')[0]).toBe('Task football-score (42 of 44 models simulated, marked [sim])');
    } finally {
      mixed.cleanup();
    }
  });

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
    expect(Object.keys(report).sort()).toEqual(['models', 'runId', 'runStatus', 'simulated', 'task', 'totals']);
    expect(report.runStatus).toBe('completed');
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
    // The suite's time is how long the run took: its one case, with no latency to sum, says 0.
    expect(xml).toContain('<testcase classname="canary" name="together/nemotron-70b" time="0.000">');
    const suiteSeconds = Number(/<testsuite [^>]*time="([\d.]+)"/.exec(xml)?.[1]);
    expect(suiteSeconds).toBeGreaterThan(0);
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

  it('refuses a canary or check with no models to run (exit 2, naming why) and records no run', () => {
    const before = runCount(temp.dir);
    expect(runCli(['--data-dir', temp.dir, 'canary', '--models', ','], { env })).toMatchObject({
      code: 2,
      stderr: 'fleetdeck: no models selected: --models "," names no model id\n',
    });
    expect(runCli(['--data-dir', temp.dir, 'check', '--models', ' , '], { env })).toMatchObject({
      code: 2,
      stderr: 'fleetdeck: no models selected: --models " , " names no model id\n',
    });
    expect(runCount(temp.dir)).toBe(before);

    const idle = makeTempDir('fleetdeck-canary-idle-');
    try {
      expect(runCli(['--data-dir', idle.dir, 'init']).code).toBe(0);
      const db = openDatabase(idle.dir);
      const fleet = new FleetRepository(db);
      for (const model of fleet.listModels()) fleet.setActive(model.id, false);
      db.close();
      const noActive = `fleetdeck: no models selected: the workspace in ${idle.dir} has no active models (fleetdeck status lists them)\n`;
      for (const command of [['canary', '--all'], ['check'], ['soak', '--duration', '1s']]) {
        expect({ command, ...runCli(['--data-dir', idle.dir, ...command], { env }) }).toMatchObject({ command, code: 2, stderr: noActive });
      }
      expect(runCount(idle.dir)).toBe(0);
    } finally {
      idle.cleanup();
    }
  });

  it('refuses a --junit path that is a directory before it runs anything', () => {
    const before = runCount(temp.dir);
    expect(
      runCli(['--data-dir', temp.dir, 'canary', '--models', 'together/llama-3.3-70b', '--junit', temp.dir], { env }),
    ).toMatchObject({ code: 2, stderr: `fleetdeck: cannot write ${temp.dir}: it is a directory (give a file name)\n` });
    expect(runCount(temp.dir)).toBe(before);
  });

  it('says on stderr when --fixtures asks for more fixtures than the task has, and runs them all', () => {
    const result = runCli(
      ['--data-dir', temp.dir, 'canary', '--models', 'together/llama-3.3-70b', '--fixtures', '1000', '--json'],
      { env },
    );
    expect(result.stderr.split('\n')[0]).toBe('warning: task football-score has 48 fixtures: running all 48, not 1000');
    expect(JSON.parse(result.stdout).totals.predictions).toBe(48);
  });

  it('counts what an interrupt cancelled as cancelled and prints the command that resumes the run', async () => {
    const dataDir = makeTempDir('fleetdeck-canary-interrupt-');
    try {
      expect(runCli(['--data-dir', dataDir.dir, 'init']).code).toBe(0);
      // Realistic latency, so the run is still sending when the interrupt arrives; one call in flight.
      const args = ['canary', '--models', 'together/llama-3.3-70b,together/qwen-2.5-72b', '--fixtures', '48', '--concurrency', '1', '--json'];
      const child = spawn(process.execPath, [BIN, '--data-dir', dataDir.dir, ...args], {
        cwd: REPO_ROOT,
        env: { ...process.env, FLEETDECK_DATA_DIR: '', FLEETDECK_SIMULATOR_LATENCY_SCALE: '1' },
      });
      let stdout = '';
      let stderr = '';
      let interrupted = false;
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
      });
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        // The run has started (and Ctrl-C is handled) once it names its items.
        if (!interrupted && /: 96 items\n/.test(stderr)) interrupted = child.kill('SIGINT');
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      const report = JSON.parse(stdout);
      expect(Object.keys(report).sort()).toEqual(['models', 'runId', 'runStatus', 'simulated', 'task', 'totals']);
      // A CI script can tell an interrupted run from one whose models failed.
      expect(report.runStatus).toBe('cancelled');
      const lines = stderr.trimEnd().split('\n');
      const summary = /^96\/96 done \((\d+) ok, (\d+) failed, (\d+) cancelled\)$/.exec(lines.at(-2) ?? '');
      expect(summary, stderr).not.toBeNull();
      const [ok, failed, cancelled] = summary!.slice(1).map(Number) as [number, number, number];
      expect(ok + failed + cancelled).toBe(96);
      expect(cancelled).toBeGreaterThan(0);
      expect(lines.at(-1)).toBe(
        `fleetdeck: canary ${report.runId} was interrupted before every item ran; resume it: fleetdeck --data-dir ${dataDir.dir} canary --resume ${report.runId}`,
      );
      // The printed command resumes the run: only the cancelled items are sent again.
      const resumeArgs = lines.at(-1)!.split('resume it: fleetdeck ')[1]!.split(' ');
      const resumed = runCli(resumeArgs, { env });
      expect(resumed.stderr).toContain(`canary ${report.runId}: ${cancelled} items\n`);
    } finally {
      dataDir.cleanup();
    }
  });
});
