import { sql as fleet } from './001-fleet';
import { sql as runs } from './002-runs';
import { sql as prompts } from './003-prompts';
import { sql as engine } from './004-engine';
import { sql as lifecycle } from './005-lifecycle';
import { sql as parseSteps } from './006-parse-steps';
import { sql as runPromptVersions } from './007-run-prompt-versions';
import { sql as estimatedCost } from './008-estimated-cost';
import { sql as configVersionsKept } from './009-config-versions-kept';
import { sql as reservationsOneTree } from './010-reservations-one-tree';
import { sql as trialConfigVersions } from './011-trial-config-versions';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/**
 * Forward-only: append, never edit. Each one runs in its own transaction and is recorded with a
 * hash of its SQL, so an edited migration fails loudly on the next open.
 */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'fleet', sql: fleet },
  { version: 2, name: 'runs', sql: runs },
  { version: 3, name: 'prompts', sql: prompts },
  { version: 4, name: 'engine', sql: engine },
  { version: 5, name: 'lifecycle', sql: lifecycle },
  { version: 6, name: 'parse-steps', sql: parseSteps },
  { version: 7, name: 'run-prompt-versions', sql: runPromptVersions },
  { version: 8, name: 'estimated-cost', sql: estimatedCost },
  { version: 9, name: 'config-versions-kept', sql: configVersionsKept },
  { version: 10, name: 'reservations-one-tree', sql: reservationsOneTree },
  { version: 11, name: 'trial-config-versions', sql: trialConfigVersions },
];
