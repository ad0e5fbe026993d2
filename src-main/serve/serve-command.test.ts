import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe } from '../../e2e/serve-process';
import { makeTempDir } from '../../test-support/temp-dir';

describe('fleetdeck serve', () => {
  const temps: { cleanup(): void }[] = [];
  afterEach(() => {
    for (const temp of temps.splice(0)) temp.cleanup();
  });

  it('prints the URL as its first stdout line, serves the simulated fleet on first launch, and stops on SIGTERM', async () => {
    const statics = makeTempDir('fleetdeck-serve-static-');
    temps.push(statics);
    fs.writeFileSync(
      path.join(statics.dir, 'index.html'),
      '<!doctype html><title>Fleetdeck</title>',
    );
    // The same launcher the e2e suite uses: a fresh data folder, URL from the first stdout line.
    const serve = await startServe({ env: { FLEETDECK_RENDERER_DIR: statics.dir } });
    const firstLine = serve.url;
    let exitCode: number | null | undefined;
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
      expect(serve.stderr()).toMatch(/SIMULATED fleet \(42 models/);
    } finally {
      exitCode = await serve.stop();
    }
    expect(exitCode).toBe(0);
  });
});
