import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, REPO_ROOT, runCli } from '../../test-support/cli';
import { dumpDatabase, makeTempDir } from '../../test-support/temp-dir';
import { openDatabase } from '../store';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function tempDir(): string {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  return dir;
}
const example = path.join(REPO_ROOT, 'examples', 'football-fleet.json');

describe('fleetdeck CLI', () => {
  it('lists its commands in --help and prints its version', () => {
    const help = runCli(['--help']);
    expect(help.code).toBe(0);
    for (const command of ['init', 'fleet', 'status', 'parse', 'prompt', 'simulate']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
    const version = runCli(['--version']);
    expect(version).toMatchObject({
      code: 0,
      stdout: `${JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version}\n`,
    });
  });

  it('exits 2 with a one-line message on a usage error', () => {
    const result = runCli(['frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr.split('\n')[0]).toBe("error: unknown command 'frobnicate'");
  });

  it('imports a fleet file and shows its models in status --json', () => {
    const dataDir = tempDir();
    const imported = runCli(['--data-dir', dataDir, 'fleet', 'import', example]);
    expect(imported.code).toBe(0);
    // Every change, the providers and the budget included.
    expect(imported.stdout).toBe(
      `imported ${example} into ${dataDir}: 5 created, 0 updated, 0 unchanged; provider together created; provider openrouter created; provider ollama created; budget.dailyUsd 5 -> 10, budget.runUsd none -> 2\n`,
    );
    const status = runCli(['--data-dir', dataDir, 'status', '--json']);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout);
    expect(parsed.models.map((model: { id: string }) => model.id)).toEqual([
      'ollama/llama3.2-3b',
      'openrouter/mistral-small',
      'together/deepseek-r1',
      'together/llama-3.3-70b',
      'together/qwen-2.5-72b',
    ]);
    expect(parsed.models[0]).toMatchObject({
      status: 'untested',
      configVersion: 1,
      unpriced: true,
      promptVariant: 'JSON_STRICT',
    });
    expect(parsed.coverage).toEqual({
      working: 0,
      active: 5,
      unfixable: 0,
      eligible: 5,
      percent: 0,
      total: 5,
    });
  });

  it('uses FLEETDECK_DATA_DIR when no --data-dir is given', () => {
    const dataDir = tempDir();
    expect(
      runCli(['fleet', 'import', example], { env: { FLEETDECK_DATA_DIR: dataDir } }).code,
    ).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'fleetdeck.sqlite'))).toBe(true);
  });

  it('refuses a bad fleet file with exit 2, naming every problem, and changes nothing', () => {
    const dataDir = tempDir();
    expect(runCli(['--data-dir', dataDir, 'fleet', 'import', example]).code).toBe(0);
    const db = openDatabase(dataDir);
    const before = dumpDatabase(db);
    db.close();

    const bad = JSON.parse(fs.readFileSync(example, 'utf8'));
    bad.models[1].config.fallback = 'together/llama-3.3-70b'; // llama -> qwen -> llama
    bad.models[3].config.timeoutMs = 75000;
    bad.models[4].config.fallback = 'together/gone';
    delete bad.models[2].providerModelId;
    const file = path.join(dataDir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(bad));
    const crossChecks = [
      'models[3].config.timeoutMs: timeout 75000 ms is over the 60000 ms ceiling',
      'models[4].config.fallback: unknown fallback model "together/gone"',
      'models[0].config.fallback: fallback cycle: together/llama-3.3-70b -> together/qwen-2.5-72b -> together/llama-3.3-70b',
    ];
    const expectRefused = (result: ReturnType<typeof runCli>, problems: readonly string[]) => {
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `was not imported (${problems.length} problems; nothing changed)`,
      );
      for (const problem of problems) expect(result.stderr).toContain(problem);
    };
    // One attempt names the shape error and every cross-check problem of the well-formed rest.
    expectRefused(runCli(['--data-dir', dataDir, 'fleet', 'import', file]), [
      'models[2].providerModelId: required field is missing',
      ...crossChecks,
    ]);

    bad.models[2].providerModelId = 'deepseek-ai/DeepSeek-R1';
    fs.writeFileSync(file, JSON.stringify(bad));
    expectRefused(runCli(['--data-dir', dataDir, 'fleet', 'import', file]), crossChecks);

    const after = openDatabase(dataDir);
    expect(dumpDatabase(after)).toEqual(before);
    after.close();
  });

  it('init --force says what re-importing the simulated fleet changed, not that it created the workspace', () => {
    const dataDir = tempDir();
    expect(runCli(['--data-dir', dataDir, 'init']).stdout).toMatch(/^created workspace /);
    expect(runCli(['--data-dir', dataDir, 'init']).stdout).toMatch(/already has 42 models; nothing changed/);
    expect(runCli(['--data-dir', dataDir, 'verdict', 'together/mistral-7b', 'inactive', '--reason', 'not needed']).code).toBe(0);
    expect(runCli(['--data-dir', dataDir, 'init', '--force'])).toMatchObject({
      code: 0,
      stdout: `re-imported the SIMULATED fleet into ${dataDir}: 0 created, 1 updated, 41 unchanged\n`,
    });
  });

  it('refuses a file that is not JSON with exit 2', () => {
    const dataDir = tempDir();
    const file = path.join(dataDir, 'broken.json');
    fs.writeFileSync(file, '{"version": 1, "providers": [');
    const result = runCli(['--data-dir', dataDir, 'fleet', 'import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/broken\.json is not valid JSON/);
  });

  it('leaves no database behind when a refused file was to create the workspace', () => {
    const dataDir = path.join(tempDir(), 'new-workspace');
    const file = path.join(path.dirname(dataDir), 'bad.json');
    fs.writeFileSync(file, JSON.stringify({ version: 1, providers: [{ id: 'p' }] }));
    const result = runCli(['--data-dir', dataDir, 'fleet', 'import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('providers[0].baseUrl: required field is missing');
    expect(fs.existsSync(path.join(dataDir, 'fleetdeck.sqlite'))).toBe(false);

    // A well-formed file for a task that does not exist is refused before the workspace too.
    fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(fs.readFileSync(example, 'utf8')), task: 'nope-task' }));
    const unknownTask = runCli(['--data-dir', dataDir, 'fleet', 'import', file]);
    expect(unknownTask.code).toBe(2);
    expect(unknownTask.stderr).toContain('task: unknown task "nope-task" (known tasks: ');
    expect(fs.existsSync(path.join(dataDir, 'fleetdeck.sqlite'))).toBe(false);

    // Refused by a check that needs the database (a prompt variant): the database it opened goes.
    const noVariant = JSON.parse(fs.readFileSync(example, 'utf8'));
    noVariant.models[0].config.promptVariant = 'NOPE';
    fs.writeFileSync(file, JSON.stringify(noVariant));
    const unknownVariant = runCli(['--data-dir', dataDir, 'fleet', 'import', file]);
    expect(unknownVariant.code).toBe(2);
    expect(unknownVariant.stderr).toContain('models[0].config.promptVariant: prompt variant "NOPE" does not exist');
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('exports the workspace fleet in the format it imports', () => {
    const dataDir = tempDir();
    runCli(['--data-dir', dataDir, 'fleet', 'import', example]);
    const out = path.join(dataDir, 'out.json');
    expect(runCli(['--data-dir', dataDir, 'fleet', 'export', out]).code).toBe(0);
    const exported = JSON.parse(fs.readFileSync(out, 'utf8'));
    const other = tempDir();
    expect(runCli(['--data-dir', other, 'fleet', 'import', out]).code).toBe(0);
    const again = path.join(other, 'again.json');
    runCli(['--data-dir', other, 'fleet', 'export', again]);
    expect(JSON.parse(fs.readFileSync(again, 'utf8'))).toEqual(exported);
  });

  it('refuses every command that needs a workspace in a folder without one, with exit 2, and creates nothing', () => {
    const root = tempDir();
    const dataDir = path.join(root, 'no-workspace');
    const statusFile = path.join(root, 'model-status.json');
    fs.writeFileSync(statusFile, '{}');
    const out = path.join(root, 'out.json');
    const commands = [
      ['status'],
      ['fleet', 'export', out],
      ['canary', '--all'],
      ['check'],
      ['estimate'],
      ['probe'],
      ['regress'],
      ['compare', '--columns', 'a,b'],
      ['soak', '--duration', '1s'],
      ['export-status', out],
      ['import-status', statusFile],
      ['prompt', 'show', '--model', 'm'],
      ['config', 'set', 'm', '--note', 'n'],
      ['config', 'history', 'm'],
      ['config', 'diff', 'm', '1', '2'],
      ['config', 'rollback', 'm', '1'],
      ['verdict', 'm', 'active'],
    ];
    for (const command of commands) {
      expect({ command, ...runCli(['--data-dir', dataDir, ...command]) }).toEqual({
        command,
        code: 2,
        stdout: '',
        stderr: `fleetdeck: no workspace in ${dataDir}: run "fleetdeck init" or "fleetdeck fleet import FILE" first\n`,
      });
    }
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(fs.existsSync(out)).toBe(false);
  });

  it('names a workspace that cannot be opened (a damaged database, a path through a file) in one line, exit 2', () => {
    const dataDir = tempDir();
    fs.mkdirSync(dataDir, { recursive: true });
    const damaged = Buffer.alloc(8192, 0x5a);
    fs.writeFileSync(path.join(dataDir, 'fleetdeck.sqlite'), damaged);
    for (const command of [['status'], ['init'], ['canary', '--all', '--fixtures', '1']]) {
      expect({ command, ...runCli(['--data-dir', dataDir, ...command]) }).toEqual({
        command,
        code: 2,
        stdout: '',
        stderr: `fleetdeck: cannot open the workspace in ${dataDir}: fleetdeck.sqlite is not a Fleetdeck database, or is damaged: restore it from a backup, or move it away and run "fleetdeck init" (SQLITE_NOTADB)\n`,
      });
    }
    // Nothing was written over the damaged file.
    expect(fs.readFileSync(path.join(dataDir, 'fleetdeck.sqlite')).equals(damaged)).toBe(true);
    const underAFile = path.join(dataDir, 'plain-file', 'ws');
    fs.writeFileSync(path.join(dataDir, 'plain-file'), 'x');
    expect(runCli(['--data-dir', underAFile, 'init'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `fleetdeck: cannot open the workspace in ${underAFile}: a folder on its path is a file (ENOTDIR)\n`,
    });
    const aFile = path.join(dataDir, 'plain-file');
    expect(runCli(['--data-dir', aFile, 'init'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `fleetdeck: cannot open the workspace in ${aFile}: it is a file, not a folder (give the workspace folder) (EEXIST)\n`,
    });
  });

  it('names why an input file cannot be read or is not a status file, in words, exit 2', () => {
    const dataDir = tempDir();
    expect(runCli(['--data-dir', dataDir, 'init']).code).toBe(0);
    const missing = path.join(dataDir, 'missing.json');
    for (const command of [['fleet', 'import', missing], ['import-status', missing]]) {
      expect(runCli(['--data-dir', dataDir, ...command])).toMatchObject({ code: 2, stderr: expect.stringContaining(`cannot read ${missing}: no such file (ENOENT)`) });
    }
    expect(runCli(['--data-dir', dataDir, 'fleet', 'import', dataDir])).toMatchObject({ code: 2, stderr: expect.stringContaining(`cannot read ${dataDir}: it is a directory, not a file (EISDIR)`) });
    const array = path.join(dataDir, 'array.json');
    fs.writeFileSync(array, '[]');
    expect(runCli(['--data-dir', dataDir, 'import-status', array])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('the whole file: Invalid input: expected object, received array'),
    });
    expect(runCli(['--data-dir', dataDir, 'config', 'set', 'together/mistral-7b', '--handler', 'strict,fence', '--note', 'x'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--handler must be strict, auto or comma-separated steps from capture-reasoning, strip-fences, extract-json, repair-json, coerce'),
    });
  });

  it('refuses an output path that cannot be written with exit 2 and a one-line message', () => {
    const dataDir = tempDir();
    expect(runCli(['--data-dir', dataDir, 'fleet', 'import', example]).code).toBe(0);
    const notAFolder = path.join(dataDir, 'plain-file');
    fs.writeFileSync(notAFolder, 'x');
    for (const command of ['fleet export', 'export-status']) {
      expect(runCli(['--data-dir', dataDir, ...command.split(' '), dataDir])).toMatchObject({
        code: 2,
        stderr: `fleetdeck: cannot write ${dataDir}: it is a directory (give a file name)\n`,
      });
      const inside = path.join(notAFolder, 'out.json');
      expect(runCli(['--data-dir', dataDir, ...command.split(' '), inside])).toMatchObject({
        code: 2,
        stderr: `fleetdeck: cannot write ${inside}: a folder on its path is a file\n`,
      });
      // A folder in which no file can be created (Linux's /proc): refused, not a stack trace.
      if (process.platform === 'linux') {
        expect(runCli(['--data-dir', dataDir, ...command.split(' '), '/proc/fleetdeck-out.json'])).toMatchObject({
          code: 2,
          stderr: 'fleetdeck: cannot write /proc/fleetdeck-out.json: the file cannot be created there\n',
        });
      }
    }
  });

  it('refuses a port that is taken with exit 2 and a one-line message, in simulate as in serve', async () => {
    const busy = net.createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const message = `fleetdeck: port ${port} is in use: pick another with --port, or leave it out for a free one\n`;
      // spawnSync blocks this process, but the kernel keeps the port bound to it all the same.
      const run = (args: string[]) => {
        const result = spawnSync(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 60_000, env: { ...process.env, FLEETDECK_DATA_DIR: '' } });
        return { code: result.status, stderr: result.stderr };
      };
      expect(run(['simulate', '--port', String(port)])).toEqual({ code: 2, stderr: message });
      expect(run(['--data-dir', tempDir(), 'serve', '--no-open', '--port', String(port)])).toEqual({ code: 2, stderr: message });
    } finally {
      await new Promise<void>((resolve) => busy.close(() => resolve()));
    }
  });

  it('refuses to export a workspace with no providers instead of printing a schema error, and exports one with providers only', () => {
    const dataDir = tempDir();
    openDatabase(dataDir).close();
    expect(runCli(['--data-dir', dataDir, 'fleet', 'export', path.join(dataDir, 'out.json')])).toMatchObject({
      code: 2,
      stderr: `fleetdeck: the workspace in ${dataDir} has no providers to export\n`,
    });
    const providersOnly = path.join(dataDir, 'providers.json');
    fs.writeFileSync(providersOnly, JSON.stringify({ ...JSON.parse(fs.readFileSync(example, 'utf8')), models: [] }));
    expect(runCli(['--data-dir', dataDir, 'fleet', 'import', providersOnly]).code).toBe(0);
    expect(runCli(['--data-dir', dataDir, 'fleet', 'export', path.join(dataDir, 'out.json')])).toMatchObject({ code: 0, stdout: `exported 0 models to ${path.join(dataDir, 'out.json')}\n` });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'out.json'), 'utf8')).providers).toHaveLength(3);
  });
});
