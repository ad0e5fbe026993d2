import { z } from 'zod';
import {
  type Budget,
  BudgetSchema,
  type Model,
  type ModelConfig,
  ModelConfigSchema,
  ModelSchema,
  type Provider,
  ProviderSchema,
} from '../../src-shared/domain';
import { NotFoundError } from '../../src-shared/errors';
import type { Db } from './database';

const ModelSpecSchema = ModelSchema.omit({ config: true });
type ModelSpec = z.infer<typeof ModelSpecSchema>;

export interface ConfigVersion {
  modelId: string;
  version: number;
  config: ModelConfig;
  note: string;
  createdAt: string;
  /** Stored to try a draft beside the current config; never made current (migration 11). */
  trial: boolean;
}

export interface StoredModel extends Model {
  configVersion: number;
}

interface ModelRow {
  id: string;
  spec: string;
  active: number;
  current_config_version: number;
  config: string;
}

const DEFAULT_BUDGET: Budget = BudgetSchema.parse({});

/** Providers, models and their immutable config versions, and workspace settings. */
export class FleetRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private timestamp(): string {
    return this.now().toISOString();
  }

  listProviders(): Provider[] {
    const rows = this.db.prepare('SELECT spec FROM providers ORDER BY id').all() as { spec: string }[];
    return rows.map((row) => ProviderSchema.parse(JSON.parse(row.spec)));
  }

  getProvider(id: string): Provider | undefined {
    const row = this.db.prepare('SELECT spec FROM providers WHERE id = ?').get(id) as
      | { spec: string }
      | undefined;
    return row ? ProviderSchema.parse(JSON.parse(row.spec)) : undefined;
  }

  upsertProvider(provider: Provider): void {
    const spec = JSON.stringify(ProviderSchema.parse(provider));
    const at = this.timestamp();
    this.db
      .prepare(
        `INSERT INTO providers (id, spec, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET spec = excluded.spec, updated_at = excluded.updated_at
         WHERE providers.spec <> excluded.spec`,
      )
      .run(provider.id, spec, at, at);
  }

  private static toModel(row: ModelRow): StoredModel {
    const spec = ModelSpecSchema.parse(JSON.parse(row.spec));
    return {
      ...spec,
      active: row.active === 1,
      config: ModelConfigSchema.parse(JSON.parse(row.config)),
      configVersion: row.current_config_version,
    };
  }

  private static readonly MODEL_SELECT = `SELECT m.id, m.spec, m.active, m.current_config_version, c.config
    FROM models m JOIN config_versions c ON c.model_id = m.id AND c.version = m.current_config_version`;

  listModels(): StoredModel[] {
    const rows = this.db.prepare(`${FleetRepository.MODEL_SELECT} ORDER BY m.id`).all() as ModelRow[];
    return rows.map(FleetRepository.toModel);
  }

  getModel(id: string): StoredModel | undefined {
    const row = this.db.prepare(`${FleetRepository.MODEL_SELECT} WHERE m.id = ?`).get(id) as
      | ModelRow
      | undefined;
    return row ? FleetRepository.toModel(row) : undefined;
  }

  requireModel(id: string): StoredModel {
    const model = this.getModel(id);
    if (!model) throw new NotFoundError(`unknown model "${id}"`);
    return model;
  }

  /**
   * Creates the model or updates its spec; a config that differs from the current one becomes a
   * new immutable version with `note`. Returns the model's config version after the write.
   */
  upsertModel(model: Model, note: string): number {
    const { config, ...rest } = ModelSchema.parse(model);
    const spec: ModelSpec = ModelSpecSchema.parse(rest);
    const at = this.timestamp();
    const existing = this.getModel(model.id);
    if (!existing) {
      this.db
        .prepare(
          `INSERT INTO models (id, provider_id, spec, active, current_config_version, created_at, updated_at)
           VALUES (?, ?, ?, ?, 1, ?, ?)`,
        )
        .run(spec.id, spec.provider, JSON.stringify(spec), spec.active ? 1 : 0, at, at);
      this.insertConfigVersion(spec.id, 1, config, note, at);
      return 1;
    }
    this.db
      .prepare(
        `UPDATE models SET provider_id = ?, spec = ?, active = ?, updated_at = ?
         WHERE id = ? AND (spec <> ? OR active <> ?)`,
      )
      .run(
        spec.provider,
        JSON.stringify(spec),
        spec.active ? 1 : 0,
        at,
        spec.id,
        JSON.stringify(spec),
        spec.active ? 1 : 0,
      );
    return this.saveConfig(spec.id, config, note);
  }

  /** The number the next stored version gets: after the newest, trials included. */
  nextConfigVersion(modelId: string): number {
    const latest = this.db
      .prepare('SELECT MAX(version) AS version FROM config_versions WHERE model_id = ?')
      .get(modelId) as { version: number | null };
    return (latest.version ?? 0) + 1;
  }

  /** Writes `config` as a new version when it differs from the current one; never overwrites. */
  saveConfig(modelId: string, config: ModelConfig, note: string): number {
    const current = this.requireModel(modelId);
    const parsed = ModelConfigSchema.parse(config);
    if (sameConfig(current.config, parsed)) return current.configVersion;
    const version = this.nextConfigVersion(modelId);
    const at = this.timestamp();
    this.insertConfigVersion(modelId, version, parsed, note, at);
    this.db
      .prepare('UPDATE models SET current_config_version = ?, updated_at = ? WHERE id = ?')
      .run(version, at, modelId);
    return version;
  }

  /**
   * Stores `config` as a version without making it current (a trial of a draft): the model keeps
   * running its current config, and calls that test the draft are stamped with this version. A
   * config already stored answers its version and nothing is written: the current config answers
   * the current version, whatever older version it equals (a rollback stores A again as v3), and
   * otherwise the newest version that holds it.
   */
  storeUncurrentVersion(modelId: string, config: ModelConfig, note: string): { version: number; created: boolean } {
    const model = this.requireModel(modelId);
    const parsed = ModelConfigSchema.parse(config);
    if (sameConfig(model.config, parsed)) return { version: model.configVersion, created: false };
    const stored = this.configHistory(modelId).findLast((entry) => sameConfig(entry.config, parsed));
    if (stored) return { version: stored.version, created: false };
    const version = this.nextConfigVersion(modelId);
    this.insertConfigVersion(modelId, version, parsed, note, this.timestamp(), { trial: true });
    return { version, created: true };
  }

  setActive(modelId: string, active: boolean): void {
    const model = this.requireModel(modelId);
    const { config: _config, configVersion: _version, ...spec } = model;
    this.db
      .prepare('UPDATE models SET active = ?, spec = ?, updated_at = ? WHERE id = ?')
      .run(active ? 1 : 0, JSON.stringify({ ...spec, active }), this.timestamp(), modelId);
  }

  private insertConfigVersion(
    modelId: string,
    version: number,
    config: ModelConfig,
    note: string,
    at: string,
    options: { trial?: boolean } = {},
  ): void {
    // `trial` defaults to 0 (migration 11): a version made current names only the older columns.
    if (options.trial) {
      this.db
        .prepare('INSERT INTO config_versions (model_id, version, config, note, created_at, trial) VALUES (?, ?, ?, ?, ?, 1)')
        .run(modelId, version, JSON.stringify(config), note, at);
      return;
    }
    this.db
      .prepare('INSERT INTO config_versions (model_id, version, config, note, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(modelId, version, JSON.stringify(config), note, at);
  }

  /**
   * The version that was the model's config before `version` became it: the newest earlier
   * version that was made current (a trial never was). Null for the first.
   */
  previousCurrentVersion(modelId: string, version: number): number | null {
    const row = this.db
      .prepare('SELECT MAX(version) AS version FROM config_versions WHERE model_id = ? AND version < ? AND trial = 0')
      .get(modelId, version) as { version: number | null };
    return row.version;
  }

  configHistory(modelId: string): ConfigVersion[] {
    const rows = this.db
      .prepare(
        'SELECT model_id, version, config, note, created_at, trial FROM config_versions WHERE model_id = ? ORDER BY version',
      )
      .all(modelId) as { model_id: string; version: number; config: string; note: string; created_at: string; trial: number }[];
    return rows.map((row) => ({
      modelId: row.model_id,
      version: row.version,
      config: ModelConfigSchema.parse(JSON.parse(row.config)),
      note: row.note,
      createdAt: row.created_at,
      trial: row.trial === 1,
    }));
  }

  getConfigVersion(modelId: string, version: number): ConfigVersion | undefined {
    return this.configHistory(modelId).find((entry) => entry.version === version);
  }

  getSetting<T>(key: string, schema: z.ZodType<T>, fallback: T): T {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      | { value: string }
      | undefined;
    return row ? schema.parse(JSON.parse(row.value)) : fallback;
  }

  setSetting<T>(key: string, value: T): void {
    this.db
      .prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, JSON.stringify(value));
  }

  budget(): Budget {
    return this.getSetting('budget', BudgetSchema, DEFAULT_BUDGET);
  }

  task(): string {
    return this.getSetting('task', z.string(), 'football-score');
  }

  /** Runs `work` in one synchronous transaction: all of it is written, or none. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work)();
  }
}

function sameConfig(a: ModelConfig, b: ModelConfig): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([, entry]) => entry !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([key, entry]) => [key, canonical(entry)]),
    );
  }
  return value;
}
