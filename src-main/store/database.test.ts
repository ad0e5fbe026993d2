import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { perTestScratch } from '../../test-support/scratch';
import { dumpDatabase } from '../../test-support/temp-dir';
import { DATABASE_FILE, openDatabase, openDatabaseFile, schemaVersion } from './database';
import { FleetRepository } from './fleet-repository';
import { MIGRATIONS } from './migrations';
import { RunRepository } from './run-repository';

const scratch = perTestScratch();
const tempDir = () => scratch.dir();

const provider = { id: 'p1', kind: 'openai-compatible' as const, baseUrl: 'http://127.0.0.1:9/v1', simulated: false, maxConcurrency: 4, supportsResponseFormat: false, limits: { temperatureMin: 0, temperatureMax: 2, modelIdFormat: 'as-is' as const } };
const config = { promptVariant: 'BASE', timeoutMs: 30000, responseHandler: 'auto' as const, fallback: null, stream: false, maxTokens: 512, temperature: 0.2 };
const model = { id: 'm1', provider: 'p1', providerModelId: 'org/m1', pricing: { promptPer1M: 0.5, completionPer1M: 1.5 }, traits: { reasoning: false, defaultLanguage: 'en' }, premium: false, active: true, config };

describe('openDatabase', () => {
  it('creates a WAL database with every migration recorded', () => {
    const dir = tempDir();
    const db = openDatabase(dir);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
  });

  it.each(MIGRATIONS.slice(0, -1).map((migration) => migration.version))(
    'upgrades a database created at schema version %i without losing its data',
    (version) => {
      const dir = tempDir();
      const old = openDatabase(dir, { targetVersion: version });
      expect(schemaVersion(old)).toBe(version);
      const repository = new FleetRepository(old);
      repository.upsertProvider(provider);
      repository.upsertModel(model, 'created at an old schema');
      repository.saveConfig('m1', { ...config, timeoutMs: 45000 }, 'slower');
      const before = dumpDatabase(old);
      old.close();

      const upgraded = openDatabase(dir);
      expect(schemaVersion(upgraded)).toBe(MIGRATIONS.at(-1)?.version);
      const after = dumpDatabase(upgraded);
      for (const table of ['providers', 'models', 'config_versions', 'settings']) {
        expect(after[table]).toEqual(before[table]);
      }
      expect(new FleetRepository(upgraded).requireModel('m1')).toMatchObject({ configVersion: 2, config: { timeoutMs: 45000 } });
      upgraded.close();
    },
  );

  it('upgrades a version 6 database: its runs are kept, with no pinned prompt versions', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { targetVersion: 6 });
    old
      .prepare(
        `INSERT INTO runs (id, kind, task, status, plan, pinned_versions, budget_micros, started_at, owner_pid)
         VALUES ('canary-old', 'canary', 'football-score', 'interrupted', '[]', '{"m1":1}', NULL, '2030-01-01T00:00:00.000Z', NULL)`,
      )
      .run();
    old.close();

    const upgraded = openDatabase(dir);
    const runs = new RunRepository(upgraded);
    expect(runs.getRun('canary-old')).toMatchObject({ status: 'interrupted', pinnedVersions: { m1: 1 }, promptVersions: null });
    const promptVersions = { components: { rules: 2 }, variants: { BASE: 1 } };
    runs.createRun({ id: 'canary-new', kind: 'canary', task: 'football-score', items: [], pinnedVersions: {}, promptVersions, budgetMicros: null, startedAt: '2030-01-02T00:00:00.000Z' });
    expect(runs.getRun('canary-new')?.promptVersions).toEqual(promptVersions);
    upgraded.close();
  });

  it('upgrades a version 7 database: its call records are kept, with no estimated cost, and still count as spent', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { targetVersion: 7 });
    old
      .prepare(
        `INSERT INTO runs (id, kind, task, status, plan, pinned_versions, budget_micros, started_at, owner_pid)
         VALUES ('canary-old', 'canary', 'football-score', 'completed', '[]', '{"m1":1}', NULL, '2030-01-01T00:00:00.000Z', NULL)`,
      )
      .run();
    old
      .prepare(
        `INSERT INTO call_records (run_id, item_key, fixture_id, intended_model, actual_model, fallback_depth, attempt, config_version,
           prompt_variant, timeout_ms, started_at, latency_ms, status, final, http_status, cost_micros, reply_length, reply_excerpt, coercions)
         VALUES ('canary-old', 'm1#f1', 'f1', 'm1', 'm1', 0, 1, 1, 'BASE', 30000, '2030-01-01T00:00:01.000Z', 12.5, 'success', 1, 200, 1234, 2, '{}', '[]')`,
      )
      .run();
    old.close();

    const upgraded = openDatabase(dir);
    const runs = new RunRepository(upgraded);
    expect(runs.records({ runId: 'canary-old' })).toEqual([expect.objectContaining({ costMicros: 1234, estimatedCostMicros: null, parseSteps: [] })]);
    expect(runs.spentSince('2030-01-01T00:00:00.000Z')).toBe(1234);
    upgraded.close();
  });

  it('fails loudly when an applied migration was edited', () => {
    const dir = tempDir();
    openDatabase(dir).close();
    const edited = MIGRATIONS.map((migration, index) => (index === 0 ? { ...migration, sql: `${migration.sql}\n-- edited` } : migration));
    expect(() => openDatabaseFile(path.join(dir, DATABASE_FILE), { migrations: edited })).toThrow(
      'migration 1 (fleet) was edited after it was applied: migrations are forward-only, add a new one',
    );
  });

  it('refuses a database from a newer Fleetdeck', () => {
    const dir = tempDir();
    openDatabase(dir).close();
    expect(() => openDatabaseFile(path.join(dir, DATABASE_FILE), { migrations: MIGRATIONS.slice(0, 1) })).toThrow(
      /is newer than this Fleetdeck knows \(1\)/,
    );
  });
});

describe('FleetRepository config versions', () => {
  it('writes a new version for a changed config and never overwrites an old one', () => {
    const db = openDatabase(tempDir());
    const repository = new FleetRepository(db);
    repository.upsertProvider(provider);
    expect(repository.upsertModel(model, 'first')).toBe(1);
    expect(repository.saveConfig('m1', config, 'no change')).toBe(1);
    expect(repository.saveConfig('m1', { ...config, promptVariant: 'JSON_STRICT' }, 'strict json')).toBe(2);
    expect(repository.configHistory('m1').map((entry) => [entry.version, entry.config.promptVariant, entry.note])).toEqual([
      [1, 'BASE', 'first'],
      [2, 'JSON_STRICT', 'strict json'],
    ]);
    expect(() => db.prepare("UPDATE config_versions SET note = 'rewritten'").run()).toThrow(/immutable/);
    expect(() => db.prepare('DELETE FROM config_versions WHERE version = 1').run()).toThrow(/kept/);
    expect(repository.configHistory('m1')).toHaveLength(2);
    db.close();
  });
});
