import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { ROOT } from '../serve-process';

/**
 * The Electron binary, if one was downloaded (`node_modules/electron/path.txt` names it).
 * `require('electron')` is not used: it tries to download the binary, which fails offline.
 */
function electronBinary(): string | undefined {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const candidate = path.join(
      process.env.ELECTRON_OVERRIDE_DIST_PATH,
      process.platform === 'win32' ? 'electron.exe' : 'electron',
    );
    return fs.existsSync(candidate) ? candidate : undefined;
  }
  const pathFile = path.join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!fs.existsSync(pathFile)) return undefined;
  const binary = path.join(
    ROOT,
    'node_modules',
    'electron',
    'dist',
    fs.readFileSync(pathFile, 'utf8').trim(),
  );
  return fs.existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
const built =
  fs.existsSync(path.join(ROOT, 'out', 'main', 'index.js')) &&
  fs.existsSync(path.join(ROOT, 'out', 'native', 'electron', 'better_sqlite3.node'));

test('the desktop app shows the simulated fleet on first launch', async () => {
  test.skip(
    !binary,
    'no Electron binary on this machine (node_modules/electron was installed without its download; run "npx install-electron" where there is internet)',
  );
  test.skip(
    !built,
    'the Electron build is missing: run "npm run build" and "node scripts/electron-sqlite.mjs" first',
  );
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-electron-'));
  const app = await electron.launch({
    executablePath: binary,
    args: [path.join(ROOT, 'out', 'main', 'index.js'), `--data-dir=${dataDir}`],
    env: { ...process.env, FLEETDECK_SIMULATOR_LATENCY_SCALE: '0' },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.locator('[data-app-state="ready"]')).toBeVisible();
    await expect(page.locator('[data-grid-rows]')).toHaveAttribute('data-grid-rows', '42');
    // The sandboxed renderer has no Node: the preload's bridge is all it sees.
    expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe(
      'undefined',
    );
    expect(
      await page.evaluate(() => typeof (window as unknown as { fleetdeck?: unknown }).fleetdeck),
    ).toBe('object');
  } finally {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
});
