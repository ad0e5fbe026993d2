import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { perTestScratch } from '../../test-support/scratch';
import { dumpDatabase } from '../../test-support/temp-dir';
import { DATABASE_FILE, openDatabase, openDatabaseFile, schemaVersion } from './database';
import { EngineStateRepository } from './engine-state-repository';
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
      for (const table of ['providers', 'models', 'settings']) {
        expect(after[table]).toEqual(before[table]);
      }
      // Every version kept as it was; one written before migration 11 was made current (trial 0).
      expect(after.config_versions).toEqual(
        (before.config_versions as Record<string, unknown>[]).map((row) => ({ trial: 0, ...row })),
      );
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

  it('upgrades a version 9 database: reservations a crash left open still count, in one B-tree', () => {
    const dir = tempDir();
    const old = openDatabase(dir, { targetVersion: 9 });
    const insert = old.prepare('INSERT INTO budget_reservations (id, run_id, model_id, day, amount_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)');
    insert.run('canary-a:1', 'canary-a', 'm1', '2030-01-01', 1200, '2030-01-01T10:00:00.000Z');
    insert.run('canary-a:2', 'canary-a', 'm1', '2030-01-01', 800, '2030-01-01T10:00:01.000Z');
    insert.run('canary-b:1', 'canary-b', 'm2', '2030-01-02', 50, '2030-01-02T10:00:00.000Z');
    const before = dumpDatabase(old).budget_reservations;
    old.close();

    const upgraded = openDatabase(dir);
    expect(dumpDatabase(upgraded).budget_reservations).toEqual(before);
    const state = new EngineStateRepository(upgraded);
    expect(state.reservedOn('2030-01-01')).toBe(2000);
    expect(state.reservedByRun('canary-b')).toBe(50);
    const schema = upgraded.prepare("SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'budget_reservations'").all() as { type: string; name: string; sql: string | null }[];
    expect(schema.filter((entry) => entry.type === 'index').map((entry) => entry.name)).toEqual([]);
    expect(schema.find((entry) => entry.type === 'table')?.sql).toMatch(/WITHOUT ROWID/);
    // The same rules as before: one reservation per id, never a negative amount.
    expect(() => state.addReservation({ id: 'canary-a:1', runId: 'canary-a', modelId: 'm1', day: '2030-01-01', amountMicros: 1, createdAt: '2030-01-01T11:00:00.000Z' })).toThrow(/UNIQUE/);
    expect(() => state.addReservation({ id: 'canary-c:1', runId: 'canary-c', modelId: 'm1', day: '2030-01-01', amountMicros: -1, createdAt: '2030-01-01T11:00:00.000Z' })).toThrow(/CHECK/);
    state.removeReservation('canary-a:2');
    expect(state.reservedOn('2030-01-01')).toBe(1200);
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
