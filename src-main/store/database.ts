import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FILE_SYSTEM_REASONS, InputError } from '../../src-shared/errors';
import { MIGRATIONS, type Migration } from './migrations';

export type Db = Database.Database;

export const DATABASE_FILE = 'fleetdeck.sqlite';

export interface OpenOptions {
  /** Apply migrations up to this version only (tests build older databases this way). */
  targetVersion?: number;
  migrations?: readonly Migration[];
  /** An alternative native binding (the Electron-ABI build in the desktop app). */
  nativeBinding?: string;
  readonly?: boolean;
}

function hashOf(sql: string): string {
  return createHash('sha256').update(sql).digest('hex');
}

/** A workspace folder or database that cannot be opened: named, with what to do, never a stack. */
export class WorkspaceUnavailableError extends InputError {}

/** What an operator can do about each reason a workspace cannot be opened. */
const UNAVAILABLE: Readonly<Record<string, string>> = {
  ...FILE_SYSTEM_REASONS,
  EEXIST: 'it is a file, not a folder (give the workspace folder)',
  SQLITE_READONLY: `${DATABASE_FILE} cannot be written by this user (Fleetdeck records every call, so it needs write access)`,
  SQLITE_CANTOPEN: `${DATABASE_FILE} cannot be opened (is it a folder, or is the workspace folder not writable?)`,
  SQLITE_PERM: `${DATABASE_FILE} cannot be opened: permission denied`,
  SQLITE_FULL: 'no space left on the device',
  SQLITE_NOTADB: `${DATABASE_FILE} is not a Fleetdeck database, or is damaged: restore it from a backup, or move it away and run "fleetdeck init"`,
  SQLITE_CORRUPT: `${DATABASE_FILE} is damaged: restore it from a backup, or move it away and run "fleetdeck init"`,
};

function unavailable(dataDir: string, error: unknown): WorkspaceUnavailableError | undefined {
  // migrate's own refusals (a newer schema, an edited migration), with the folder named.
  if (error instanceof WorkspaceUnavailableError) return new WorkspaceUnavailableError(`cannot open the workspace in ${dataDir}: ${error.message}`);
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return undefined;
  // Extended SQLite codes (SQLITE_READONLY_DBMOVED, SQLITE_CORRUPT_INDEX...) read as their family.
  const reason = UNAVAILABLE[code] ?? UNAVAILABLE[code.replace(/^(SQLITE_[A-Z]+)_.*$/, '$1')];
  if (reason === undefined) return undefined;
  return new WorkspaceUnavailableError(`cannot open the workspace in ${dataDir}: ${reason} (${code})`);
}

/** Opens (creating if needed) the workspace database in `dataDir`, migrated to the latest schema. */
export function openDatabase(dataDir: string, options: OpenOptions = {}): Db {
  try {
    fs.mkdirSync(dataDir, { recursive: true });
    return openDatabaseFile(path.join(dataDir, DATABASE_FILE), options);
  } catch (error) {
    throw unavailable(dataDir, error) ?? error;
  }
}

export function openDatabaseFile(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, {
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? MIGRATIONS, options.targetVersion);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_migrations').get() as {
    version: number | null;
  };
  return row.version ?? 0;
}

export function migrate(db: Db, migrations: readonly Migration[], targetVersion?: number): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);
  const applied = new Map(
    (
      db.prepare('SELECT version, name, sha256 FROM schema_migrations').all() as {
        version: number;
        name: string;
        sha256: string;
      }[]
    ).map((row) => [row.version, row]),
  );
  const latestKnown = migrations.at(-1)?.version ?? 0;
  for (const version of applied.keys()) {
    if (version > latestKnown) {
      throw new WorkspaceUnavailableError(
        `database schema version ${version} is newer than this Fleetdeck knows (${latestKnown}): upgrade Fleetdeck`,
      );
    }
  }
  for (const migration of migrations) {
    if (targetVersion !== undefined && migration.version > targetVersion) break;
    const record = applied.get(migration.version);
    const sha256 = hashOf(migration.sql);
    if (record) {
      if (record.sha256 !== sha256) {
        throw new WorkspaceUnavailableError(
          `migration ${migration.version} (${migration.name}) was edited after it was applied: migrations are forward-only, add a new one`,
        );
      }
      continue;
    }
    db.transaction(() => {
      db.exec(migration.sql);
      db.prepare(
        'INSERT INTO schema_migrations (version, name, sha256, applied_at) VALUES (?, ?, ?, ?)',
      ).run(migration.version, migration.name, sha256, new Date().toISOString());
    })();
  }
}
