import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { callRecord } from '../../test-support/call-record';
import { dumpDatabase, makeTempDir } from '../../test-support/temp-dir';
import { EngineStateRepository, RunRepository } from '../store';
import { describeImport, exportFleet, importFleet } from './fleet-files';
import { savePromptChange } from './prompt-edits';
import { listTaskPacks } from './task-packs';
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

  it('reports shape problems first, then the cross-checks of the entries that are well-formed', () => {
    const ws = workspace();
    const bad = structuredClone(example);
    delete bad.providers[1].baseUrl; // openrouter is ill-formed, so its models are not called unknown
    bad.models[0].provider = 'nope';
    bad.models[1].colour = 'red';
    const result = importFleet(ws, bad, 'bad');
    expect(result.problems.map((problem) => `${problem.path}: ${problem.message}`)).toEqual([
      'providers[1].baseUrl: required field is missing',
      'models[1].colour: unknown field',
      'models[0].provider: unknown provider "nope"',
    ]);
    expect(ws.fleet.listModels()).toEqual([]);
  });

  it('refuses an unknown task, naming the known ones, and changes nothing', () => {
    const ws = workspace();
    importFleet(ws, example, 'first');
    const before = dumpDatabase(ws.db);
    const bad = { ...structuredClone(example), task: 'nope-task' };
    bad.models[0].config.timeoutMs = 45000;
    const result = importFleet(ws, bad, 'bad');
    expect(result).toMatchObject({ ok: false, created: [], updated: [], unchanged: [], settings: [] });
    expect(result.problems).toEqual([
      { path: 'task', message: `unknown task "nope-task" (known tasks: ${listTaskPacks().join(', ')})` },
    ]);
    expect(listTaskPacks()).toEqual(expect.arrayContaining(['football-batch', 'football-score']));
    expect(dumpDatabase(ws.db)).toEqual(before);
    expect(ws.fleet.task()).toBe('football-score');
  });

  it('refuses a prompt variant that does not exist, and accepts a saved one', () => {
    const ws = workspace();
    importFleet(ws, example, 'first');
    const before = dumpDatabase(ws.db);
    const bad = structuredClone(example);
    bad.models[0].config.timeoutMs = 45000; // a valid change that must not land either
    bad.models[2].config.promptVariant = 'NOPE';
    const result = importFleet(ws, bad, 'bad');
    expect(result).toMatchObject({ ok: false, created: [], updated: [], unchanged: [] });
    expect(result.problems).toEqual([
      { path: 'models[2].config.promptVariant', message: 'prompt variant "NOPE" does not exist' },
    ]);
    expect(dumpDatabase(ws.db)).toEqual(before);

    savePromptChange(ws, { kind: 'variant', name: 'TERSE', text: 'Answer with the JSON only.' }, 'operator variant');
    const saved = structuredClone(example);
    saved.models[2].config.promptVariant = 'TERSE';
    expect(importFleet(ws, saved, 'terse')).toMatchObject({ ok: true, updated: ['together/deepseek-r1'] });
    expect(ws.fleet.requireModel('together/deepseek-r1').config.promptVariant).toBe('TERSE');
  });

  it('reports every change to providers, the task and the budget, and a re-import reports none', () => {
    const ws = workspace();
    const first = importFleet(ws, example, 'first');
    expect(first.providers).toEqual({ created: ['together', 'openrouter', 'ollama'], updated: [], unchanged: [] });
    expect(first.settings).toEqual([
      { field: 'budget.dailyUsd', from: 5, to: 10 },
      { field: 'budget.runUsd', from: null, to: 2 },
    ]);

    const changed = structuredClone(example);
    changed.task = 'football-batch';
    changed.providers[0].maxConcurrency = 2;
    changed.budget.dailyUsd = 20;
    delete changed.budget.runUsd;
    const result = importFleet(ws, changed, 'batch');
    expect(result).toMatchObject({ ok: true, created: [], updated: [] });
    expect(result.providers).toEqual({
      created: [],
      updated: [{ id: 'together', changes: [{ field: 'maxConcurrency', from: 8, to: 2 }] }],
      unchanged: ['openrouter', 'ollama'],
    });
    expect(result.settings).toEqual([
      { field: 'task', from: 'football-score', to: 'football-batch' },
      { field: 'budget.dailyUsd', from: 10, to: 20 },
      { field: 'budget.runUsd', from: 2, to: null },
    ]);
    expect(describeImport(result)).toBe(
      '0 created, 0 updated, 5 unchanged; provider together updated: maxConcurrency 8 -> 2; ' +
        'task football-score -> football-batch; budget.dailyUsd 10 -> 20, budget.runUsd 2 -> none',
    );
    expect([ws.fleet.task(), ws.fleet.budget(), ws.fleet.getProvider('together')?.maxConcurrency]).toEqual([
      'football-batch',
      { dailyUsd: 20, fallbackCostCeiling: 3 },
      2,
    ]);

    // A base URL's credentials never reach the summary (it goes to CI logs).
    const keyed = structuredClone(changed);
    keyed.providers[1].baseUrl = 'https://user:sk-SECRET-1@openrouter.example/api/v1?key=sk-SECRET-2';
    const keyedSummary = describeImport(importFleet(ws, keyed, 'keyed'));
    expect(keyedSummary).toContain('provider openrouter updated: baseUrl https://openrouter.ai/api/v1 -> https://***@openrouter.example/api/v1?…');
    expect(keyedSummary).not.toContain('SECRET');
    importFleet(ws, changed, 'back');

    const again = importFleet(ws, changed, 'again');
    expect([again.providers.updated, again.settings, describeImport(again)]).toEqual([[], [], '0 created, 0 updated, 5 unchanged']);
  });

  it('says which models an import moves between a simulated and a real provider: billed from now on, or free', () => {
    const ws = workspace();
    importFleet(ws, example, 'real');
    const simulated = structuredClone(example);
    simulated.providers.push({ id: 'sim-together', baseUrl: 'http://127.0.0.1/sim-together/v1', simulated: true });
    simulated.providers[1].simulated = true; // openrouter keeps its id and its models: they stop costing too
    simulated.models[0].provider = 'sim-together';
    simulated.models[1].provider = 'sim-together';
    const toSimulated = importFleet(ws, simulated, 'rehearsal');
    expect(toSimulated.simulation).toEqual([
      { modelId: 'openrouter/mistral-small', from: 'openrouter', to: 'openrouter', simulated: true },
      { modelId: 'together/llama-3.3-70b', from: 'together', to: 'sim-together', simulated: true },
      { modelId: 'together/qwen-2.5-72b', from: 'together', to: 'sim-together', simulated: true },
    ]);
    expect(describeImport(toSimulated)).toBe(
      '0 created, 2 updated, 3 unchanged; provider sim-together created; provider openrouter updated: simulated false -> true; ' +
        'model openrouter/mistral-small now goes to provider openrouter (simulated; was real): its calls cost nothing; ' +
        'models together/llama-3.3-70b, together/qwen-2.5-72b now go to provider sim-together (simulated; was together, real): their calls cost nothing',
    );

    // Back to real, with the openrouter model left out of the file: it is named all the same.
    const real = structuredClone(example);
    real.models = real.models.filter((model: { provider: string }) => model.provider !== 'openrouter');
    const toReal = importFleet(ws, real, 'live');
    expect(describeImport(toReal)).toBe(
      '0 created, 2 updated, 2 unchanged, 1 workspace models not in the file left as they are; provider openrouter updated: simulated true -> false; ' +
        'model openrouter/mistral-small now goes to provider openrouter (real; was simulated): its calls will be billed; ' +
        'models together/llama-3.3-70b, together/qwen-2.5-72b now go to provider together (real; was sim-together, simulated): their calls will be billed',
    );
    expect(importFleet(ws, example, 'again').simulation).toEqual([]);
  });

  it('imports a budget below what the store holds for today with a warning, as `fleet import` does', () => {
    const ws = workspace();
    importFleet(ws, example, 'first');
    const startedAt = new Date().toISOString();
    const runs = new RunRepository(ws.db);
    runs.createRun({ id: 'spent-today', kind: 'canary', task: 'football-score', items: [], pinnedVersions: {}, budgetMicros: null, startedAt });
    runs.addRecord(callRecord({ runId: 'spent-today', startedAt, costMicros: 8_000_000 }));
    new EngineStateRepository(ws.db).addReservation({ id: 'open', runId: 'spent-today', modelId: 'm', day: startedAt.slice(0, 10), amountMicros: 3_000_000, createdAt: startedAt });

    const result = importFleet(ws, example, 'again');
    expect(result).toMatchObject({ ok: true, problems: [] });
    expect(result.warnings).toEqual([
      {
        path: 'budget.dailyUsd',
        message:
          "the daily budget $10.00 is below today's spend $8.00 plus $3.00 reserved for calls in flight ($11.00 in all): new priced calls may be refused until those settle, or until the day rolls over (UTC)",
      },
    ]);
    const raised = structuredClone(example);
    raised.budget.dailyUsd = 12;
    expect(importFleet(ws, raised, 'raised').warnings).toEqual([]);
  });
});
