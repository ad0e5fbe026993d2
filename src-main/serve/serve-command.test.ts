import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../test-support/temp-dir';

const ROOT = path.resolve(__dirname, '..', '..');

describe('fleetdeck serve', () => {
  const temps: { cleanup(): void }[] = [];
  afterEach(() => {
    for (const temp of temps.splice(0)) temp.cleanup();
  });

  it('prints the URL as its first stdout line, serves the simulated fleet on first launch, and stops on SIGTERM', async () => {
    const data = makeTempDir('fleetdeck-serve-');
    const statics = makeTempDir('fleetdeck-serve-static-');
    temps.push(data, statics);
    fs.writeFileSync(
      path.join(statics.dir, 'index.html'),
      '<!doctype html><title>Fleetdeck</title>',
    );
    const child = spawn(
      process.execPath,
      [
        path.join(ROOT, 'bin', 'fleetdeck'),
        '--data-dir',
        data.dir,
        'serve',
        '--no-open',
        '--probe-every',
        '0',
      ],
      {
        cwd: ROOT,
        env: {
          ...process.env,
          FLEETDECK_SIMULATOR_LATENCY_SCALE: '0',
          FLEETDECK_RENDERER_DIR: statics.dir,
        },
      },
    );
    const exited = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => resolve(code)),
    );
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const firstLine = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('\n')) resolve(stdout.slice(0, stdout.indexOf('\n')));
      });
      void exited.then((code) =>
        reject(new Error(`serve exited (${code}) before printing: ${stderr}`)),
      );
    });
    try {
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
      const url = new URL(firstLine);
      const token = url.searchParams.get('token')!;
      const status = await fetch(`${url.origin}/api/fleet.status`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-fleetdeck-token': token },
        body: '{}',
      });
      expect(status.status).toBe(200);
      const view = (await status.json()) as { simulated: boolean; models: { status: string }[] };
      expect(view.models).toHaveLength(42);
      expect(view.simulated).toBe(true);
      expect(
        (
          await fetch(`${url.origin}/api/fleet.status`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: '{}',
          })
        ).status,
      ).toBe(401);
      const page = await fetch(firstLine);
      expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      expect(stderr).toMatch(/SIMULATED fleet \(42 models/);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });
});
