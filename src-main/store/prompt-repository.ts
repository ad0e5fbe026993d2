import { createHash } from 'node:crypto';
import { PromptVariantNameSchema } from '../../src-shared/domain';
import { InputError } from '../../src-shared/errors';
import type { PromptVariant } from '../../src-shared/prompts';
import type { PromptComponent } from '../../src-shared/tasks';
import type { Db } from './database';

export interface ComponentVersion {
  taskId: string;
  component: string;
  version: number;
  text: string;
  note: string;
  createdAt: string;
}

export interface VariantVersion extends PromptVariant {
  builtin: boolean;
  note: string;
  createdAt: string;
}

export interface ComponentSync {
  component: string;
  version: number;
  /** A new version was written (the text differs from the latest recorded one). */
  changed: boolean;
}

interface ComponentRow {
  task_id: string;
  component: string;
  version: number;
  text: string;
  note: string;
  created_at: string;
}

interface VariantRow {
  name: string;
  version: number;
  text: string;
  builtin: number;
  note: string;
  created_at: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const toComponent = (row: ComponentRow): ComponentVersion => ({
  taskId: row.task_id,
  component: row.component,
  version: row.version,
  text: row.text,
  note: row.note,
  createdAt: row.created_at,
});

const toVariant = (row: VariantRow): VariantVersion => ({
  name: row.name,
  version: row.version,
  text: row.text,
  builtin: row.builtin === 1,
  note: row.note,
  createdAt: row.created_at,
});

/**
 * Versions of prompt components and variants. Rows are only ever inserted (SQLite triggers refuse
 * UPDATE and DELETE), so a version a run used keeps meaning the text that run sent.
 */
export class PromptRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /**
   * Records the task's current component texts: a component whose text differs from its latest
   * version gets a new version. Returns each component's version after the sync.
   */
  syncComponents(
    taskId: string,
    components: readonly PromptComponent[],
    note = 'task pack',
  ): ComponentSync[] {
    return this.db.transaction(() =>
      components.map((component) => {
        const latest = this.latestComponent(taskId, component.key);
        if (latest && latest.text === component.text) {
          return { component: component.key, version: latest.version, changed: false };
        }
        const version = (latest?.version ?? 0) + 1;
        this.db
          .prepare(
            `INSERT INTO prompt_component_versions (task_id, component, version, text, sha256, note, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            taskId,
            component.key,
            version,
            component.text,
            sha256(component.text),
            note,
            this.now().toISOString(),
          );
        return { component: component.key, version, changed: true };
      }),
    )();
  }

  latestComponent(taskId: string, component: string): ComponentVersion | undefined {
    const row = this.db
      .prepare(
        `SELECT * FROM prompt_component_versions WHERE task_id = ? AND component = ?
         ORDER BY version DESC LIMIT 1`,
      )
      .get(taskId, component) as ComponentRow | undefined;
    return row ? toComponent(row) : undefined;
  }

  componentHistory(taskId: string, component: string): ComponentVersion[] {
    const rows = this.db
      .prepare(
        'SELECT * FROM prompt_component_versions WHERE task_id = ? AND component = ? ORDER BY version',
      )
      .all(taskId, component) as ComponentRow[];
    return rows.map(toComponent);
  }

  /** The recorded version holding exactly this text, if any (read-only). */
  componentVersionOf(taskId: string, component: string, text: string): number | undefined {
    const row = this.db
      .prepare(
        `SELECT version FROM prompt_component_versions WHERE task_id = ? AND component = ? AND sha256 = ?
         ORDER BY version DESC LIMIT 1`,
      )
      .get(taskId, component, sha256(text)) as { version: number } | undefined;
    return row?.version;
  }

  /**
   * Records the built-in variants' shipped texts: a variant never recorded gets its first version,
   * and a changed shipped text gets a new version only while the latest version is still a
   * shipped one. Once an operator has edited a built-in variant, their version stays in force.
   */
  syncBuiltinVariants(variants: readonly PromptVariant[]): void {
    this.db.transaction(() => {
      for (const variant of variants) {
        const latest = this.latestVariant(variant.name);
        if (latest?.text === variant.text) continue;
        if (latest && !latest.builtin) continue;
        this.insertVariant(
          variant.name,
          (latest?.version ?? 0) + 1,
          variant.text,
          true,
          'built-in',
        );
      }
    })();
  }

  /**
   * Saves a variant version written by an operator: a new version when the text differs from the
   * latest one. Built-in names may be edited too (a new JSON_STRICT is the most common fix
   * attempt); the latest stored version is the one runs use. Returns the version after the save.
   */
  saveVariant(name: string, text: string, note: string): number {
    const parsed = PromptVariantNameSchema.safeParse(name);
    if (!parsed.success)
      throw new InputError(
        `variant name "${name}": ${parsed.error.issues[0]?.message ?? 'invalid'}`,
      );
    return this.db.transaction(() => {
      const latest = this.latestVariant(name);
      if (latest?.text === text) return latest.version;
      const version = (latest?.version ?? 0) + 1;
      this.insertVariant(name, version, text, false, note);
      return version;
    })();
  }

  /** Saves a task component version written by an operator (a new version when the text differs). */
  saveComponent(taskId: string, component: string, text: string, note: string): number {
    const [synced] = this.syncComponents(taskId, [{ key: component, text }], note);
    return synced!.version;
  }

  getComponent(taskId: string, component: string, version: number): ComponentVersion | undefined {
    const row = this.db
      .prepare('SELECT * FROM prompt_component_versions WHERE task_id = ? AND component = ? AND version = ?')
      .get(taskId, component, version) as ComponentRow | undefined;
    return row ? toComponent(row) : undefined;
  }

  /** The latest version of every variant, built-in names included, by name. */
  latestVariants(): VariantVersion[] {
    const rows = this.db
      .prepare(
        `SELECT v.* FROM prompt_variant_versions v
         JOIN (SELECT name, MAX(version) AS version FROM prompt_variant_versions GROUP BY name) latest
           ON latest.name = v.name AND latest.version = v.version
         ORDER BY v.name`,
      )
      .all() as VariantRow[];
    return rows.map(toVariant);
  }

  private insertVariant(
    name: string,
    version: number,
    text: string,
    builtin: boolean,
    note: string,
  ): void {
    this.db
      .prepare(
        `INSERT INTO prompt_variant_versions (name, version, text, sha256, builtin, note, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(name, version, text, sha256(text), builtin ? 1 : 0, note, this.now().toISOString());
  }

  latestVariant(name: string): VariantVersion | undefined {
    const row = this.db
      .prepare('SELECT * FROM prompt_variant_versions WHERE name = ? ORDER BY version DESC LIMIT 1')
      .get(name) as VariantRow | undefined;
    return row ? toVariant(row) : undefined;
  }

  getVariant(name: string, version: number): VariantVersion | undefined {
    const row = this.db
      .prepare('SELECT * FROM prompt_variant_versions WHERE name = ? AND version = ?')
      .get(name, version) as VariantRow | undefined;
    return row ? toVariant(row) : undefined;
  }

  variantHistory(name: string): VariantVersion[] {
    const rows = this.db
      .prepare('SELECT * FROM prompt_variant_versions WHERE name = ? ORDER BY version')
      .all(name) as VariantRow[];
    return rows.map(toVariant);
  }

  /** The latest version of every operator-defined variant (names that are not built in). */
  listCustomVariants(): VariantVersion[] {
    const rows = this.db
      .prepare(
        `SELECT v.* FROM prompt_variant_versions v
         JOIN (SELECT name, MAX(version) AS version FROM prompt_variant_versions GROUP BY name
               HAVING MAX(builtin) = 0) latest
           ON latest.name = v.name AND latest.version = v.version
         ORDER BY v.name`,
      )
      .all() as VariantRow[];
    return rows.map(toVariant);
  }
}
