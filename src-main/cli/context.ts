import os from 'node:os';
import path from 'node:path';

/** Thrown for usage and input errors: the CLI prints `fleetdeck: <message>` and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export interface CliContext {
  /** Resolved data directory (flag, then FLEETDECK_DATA_DIR, then the OS application-data folder). */
  dataDir: string;
  env: NodeJS.ProcessEnv;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  stdin: NodeJS.ReadableStream;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, checkFailed: 1, usage: 2 } as const;

/**
 * The OS application-data folder, the same one Electron's `app.getPath('userData')` gives the
 * desktop app, so the CLI and the console share a workspace by default.
 */
export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform = process.platform,
): string {
  const home = os.homedir();
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Fleetdeck');
  if (platform === 'win32') {
    return path.join(absoluteOr(env.APPDATA, path.join(home, 'AppData', 'Roaming')), 'Fleetdeck');
  }
  return path.join(absoluteOr(env.XDG_CONFIG_HOME, path.join(home, '.config')), 'Fleetdeck');
}

/** An empty or relative base folder is ignored (XDG says so), never resolved against the cwd. */
function absoluteOr(folder: string | undefined, fallback: string): string {
  return folder && path.isAbsolute(folder) ? folder : fallback;
}

export function resolveDataDir(
  flag: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): string {
  if (flag) return path.resolve(flag);
  if (env.FLEETDECK_DATA_DIR) return path.resolve(env.FLEETDECK_DATA_DIR);
  return defaultDataDir(env);
}

export function writeJson(stream: NodeJS.WritableStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}
