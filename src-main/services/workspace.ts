import fs from 'node:fs';
import path from 'node:path';
import { DATABASE_FILE, type Db, FleetRepository, openDatabase } from '../store';

export interface Workspace {
  dataDir: string;
  db: Db;
  fleet: FleetRepository;
  close(): void;
}

export function workspaceExists(dataDir: string): boolean {
  return fs.existsSync(path.join(dataDir, DATABASE_FILE));
}

/** Opens the workspace database in `dataDir` (creating and migrating it when needed). */
export function openWorkspace(dataDir: string, options: { now?: () => Date } = {}): Workspace {
  const db = openDatabase(dataDir);
  return {
    dataDir,
    db,
    fleet: new FleetRepository(db, options.now),
    close: () => db.close(),
  };
}
