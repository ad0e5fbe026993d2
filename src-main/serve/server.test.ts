import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ConsoleHarness, openConsoleHarness } from '../../test-support/console-harness';
import { makeTempDir } from '../../test-support/temp-dir';
import { handlerTable } from '../ipc/handler-table';
import { type ConsoleServer, SERVE_CSP, startConsoleServer } from './server';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A request with full control of Host and Origin (fetch would not let us forge them). */
function request(
  port: number,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const outgoing = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path: options.path,
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(options.body);
  });
}

describe('serve transport', () => {
  let harness: ConsoleHarness;
  let server: ConsoleServer;
  const statics = makeTempDir('fleetdeck-static-');

  beforeAll(async () => {
    harness = await openConsoleHarness({ forward: (events) => server?.broadcast(events) });
    fs.writeFileSync(
      path.join(statics.dir, 'index.html'),
      '<!doctype html><title>Fleetdeck</title>',
    );
    fs.mkdirSync(path.join(statics.dir, 'assets'));
    fs.writeFileSync(path.join(statics.dir, 'assets', 'app.js'), 'console.log(1)');
    server = await startConsoleServer({
      table: handlerTable,
      deps: harness.session.deps,
      staticDir: statics.dir,
    });
  });
  afterAll(async () => {
    await server.close();
    await harness.close();
    statics.cleanup();
  });

  const api = (channel: string, headers: Record<string, string> = {}, body = '{}') =>
    request(server.port, {
      method: 'POST',
      path: `/api/${channel}`,
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });

  it('listens on 127.0.0.1 only and prints a URL with a long random token', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}$/);
  });

  it('refuses /api without the token (401), with a wrong one, and answers with it', async () => {
    expect((await api('notifications.list')).status).toBe(401);
    expect(JSON.parse((await api('notifications.list')).body)).toMatchObject({
      error: { code: 'unauthorized' },
    });
    expect(
      (await api('notifications.list', { 'x-fleetdeck-token': `${server.token.slice(0, -1)}x` }))
        .status,
    ).toBe(401);
    const answer = await api('notifications.list', { 'x-fleetdeck-token': server.token });
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual([]);
  });

  it('sets an HttpOnly SameSite cookie when the page loads with the token, and accepts it', async () => {
    const page = await request(server.port, { path: `/?token=${server.token}` });
    const cookie = String(page.headers['set-cookie']);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const pair = cookie.split(';')[0]!;
    expect((await api('notifications.list', { cookie: pair })).status).toBe(200);
    expect((await request(server.port, { path: '/' })).headers['set-cookie']).toBeUndefined();
  });

  it('refuses other Hosts (DNS rebinding) and other Origins', async () => {
    const token = { 'x-fleetdeck-token': server.token };
    expect(
      (await api('notifications.list', { ...token, host: `evil.example:${server.port}` })).status,
    ).toBe(421);
    expect(
      (await request(server.port, { path: '/', headers: { host: 'evil.example' } })).status,
    ).toBe(421);
    expect(
      (await api('notifications.list', { ...token, host: `localhost:${server.port}` })).status,
    ).toBe(200);
    expect(
      (await api('notifications.list', { ...token, origin: 'https://evil.example' })).status,
    ).toBe(403);
    expect((await api('notifications.list', { ...token, origin: 'null' })).status).toBe(403);
    expect(
      (await api('notifications.list', { ...token, 'sec-fetch-site': 'cross-site' })).status,
    ).toBe(403);
    expect(
      (
        await api('notifications.list', {
          ...token,
          origin: `http://127.0.0.1:${server.port}`,
          'sec-fetch-site': 'same-origin',
        })
      ).status,
    ).toBe(200);
  });

  it('answers malformed input, bad JSON and unknown channels as BridgeErrors', async () => {
    const token = { 'x-fleetdeck-token': server.token };
    const invalid = await api(
      'notifications.list',
      token,
      '{"limit": "many", "__proto__": {"x": 1}}',
    );
    expect(invalid.status).toBe(400);
    expect(JSON.parse(invalid.body).error).toMatchObject({
      code: 'invalid_input',
      problems: expect.arrayContaining([expect.stringMatching(/^limit: /)]),
    });
    expect((await api('notifications.list', token, '{nope')).status).toBe(400);
    expect((await api('no.such', token)).status).toBe(404);
    expect(
      (await api('notifications.list', { ...token, 'content-type': 'text/plain' })).status,
    ).toBe(415);
    expect(
      (await request(server.port, { path: '/api/notifications.list', headers: token })).status,
    ).toBe(405);
  });

  it('serves the built renderer with a CSP on the HTML, and nothing outside it', async () => {
    const page = await request(server.port, { path: '/' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(SERVE_CSP);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.body).toContain('<title>Fleetdeck</title>');
    const script = await request(server.port, { path: '/assets/app.js' });
    expect(script.headers['content-type']).toMatch(/^text\/javascript/);
    for (const outside of [
      '/../package.json',
      '/%2e%2e/package.json',
      '/assets/..%2f..%2fpackage.json',
      '/..%5cpackage.json',
      '/nope.js',
    ]) {
      expect((await request(server.port, { path: outside })).status, outside).toBe(404);
    }
  });

  it('streams push events over server-sent events', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const outgoing = http.get(
        { host: '127.0.0.1', port: server.port, path: `/api/events?token=${server.token}` },
        (response) => {
          expect(response.headers['content-type']).toMatch(/^text\/event-stream/);
          let text = '';
          response.setEncoding('utf8').on('data', (chunk: string) => {
            text += chunk;
            if (text.includes('connected') && !text.includes('fleet.changed'))
              harness.session.deps.emit('fleet.changed', { modelIds: ['together/deepseek-v3'] });
            const at = text.indexOf('event: fleet.changed');
            if (at >= 0 && text.includes('\n\n', at)) {
              outgoing.destroy();
              resolve(text);
            }
          });
        },
      );
      outgoing.on('error', reject);
    });
    expect(received).toContain(
      'event: fleet.changed\ndata: {"modelIds":["together/deepseek-v3"]}\n\n',
    );
  });

  it('refuses the event stream without the token', async () => {
    expect((await request(server.port, { path: '/api/events' })).status).toBe(401);
  });
});
