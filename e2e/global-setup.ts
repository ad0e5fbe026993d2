import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..');

/** Builds the renderer (out/renderer) and the CLI bundle once, before any spec starts a server. */
export default function globalSetup(): void {
  if (process.env.FLEETDECK_E2E_SKIP_BUILD === '1') return;
  const run = (script: string, args: string[]) =>
    execFileSync(process.execPath, [path.join(root, script), ...args], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  run('node_modules/vite/bin/vite.js', [
    'build',
    '-c',
    'src-renderer/vite.config.mts',
    '--logLevel',
    'warn',
  ]);
  run('scripts/build-cli.mjs', []);
}
