import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dumpDatabase, makeTempDir } from '../../test-support/temp-dir';
import { exportFleet, importFleet } from './fleet-files';
import { openWorkspace, type Workspace } from './workspace';

const example = JSON.parse(fs.readFileSync(path.join(__dirname, '../../examples/football-fleet.json'), 'utf8'));

const open: Workspace[] = [];
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const workspace of open.splice(0)) workspace.close();
  for (const cleanup of cleanups.splice(0)) cleanup();
});
function workspace(): Workspace {
  const { dir, cleanup } = makeTempDir();
  cleanups.push(cleanup);
  const opened = openWorkspace(dir);
  open.push(opened);
  return opened;
}

describe('fleet files', () => {
  it('imports the worked example and exports the same fleet', () => {
    const ws = workspace();
    const result = importFleet(ws, example, 'example');
    expect(result).toMatchObject({ ok: true, problems: [], created: example.models.map((model: { id: string }) => model.id) });
    const exported = exportFleet(ws);
    const again = workspace();
    expect(importFleet(again, exported, 're-import').ok).toBe(true);
    expect(exportFleet(again)).toEqual(exported);
    expect(exported.models.find((model) => model.id === 'ollama/llama3.2-3b')?.pricing).toBeNull();
    expect(exported.budget).toEqual({ dailyUsd: 10, runUsd: 2, fallbackCostCeiling: 3 });
  });

  it('re-importing an unchanged file changes nothing, a changed config adds a version', () => {
    const ws = workspace();
    importFleet(ws, example, 'first');
    const before = dumpDatabase(ws.db);
    expect(importFleet(ws, example, 'again')).toMatchObject({ ok: true, created: [], updated: [] });
    expect(dumpDatabase(ws.db)).toEqual(before);

    const changed = structuredClone(example);
    changed.models[0].config.timeoutMs = 45000;
    expect(importFleet(ws, changed, 'slower llama')).toMatchObject({ ok: true, updated: ['together/llama-3.3-70b'] });
    expect(ws.fleet.configHistory('together/llama-3.3-70b').map((entry) => [entry.version, entry.config.timeoutMs, entry.note])).toEqual([
      [1, 30000, 'first'],
      [2, 45000, 'slower llama'],
    ]);
  });

  it('refuses a bad file whole and leaves the database unchanged', () => {
    const ws = workspace();
    importFleet(ws, example, 'first');
    const before = dumpDatabase(ws.db);
    const bad = structuredClone(example);
    bad.models[0].config.timeoutMs = 45000; // a valid change that must not land either
    bad.models[1].config.fallback = 'together/llama-3.3-70b'; // llama -> qwen -> llama
    bad.models[3].config.timeoutMs = 120000;
    bad.models.push({ id: 'new-model', provider: 'nope', providerModelId: 'x' });
    const result = importFleet(ws, bad, 'bad');
    expect(result.ok).toBe(false);
    expect(result.problems.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'models[3].config.timeoutMs: timeout 120000 ms is over the 60000 ms ceiling (90000 ms is allowed only for premium models)',
      'models[5].provider: unknown provider "nope"',
      'models[0].config.fallback: fallback cycle: together/llama-3.3-70b -> together/qwen-2.5-72b -> together/llama-3.3-70b',
    ]);
    expect(dumpDatabase(ws.db)).toEqual(before);
  });

  it('checks fallbacks against models already in the workspace', () => {
    const ws = workspace();
    importFleet(ws, example, 'first');
    const partial = {
      version: 1,
      providers: example.providers,
      models: [{ ...example.models[1], config: { ...example.models[1].config, fallback: 'together/llama-3.3-70b' } }],
    };
    const result = importFleet(ws, partial, 'partial');
    expect(result.ok).toBe(false);
    expect(result.problems[0]?.message).toContain('fallback cycle:');
  });
});
