import { randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BridgeError } from '../../src-shared/ipc';
import {
  SERVE_API_PREFIX,
  SERVE_EVENTS_PATH,
  SERVE_TOKEN_HEADER,
  SERVE_TOKEN_QUERY,
} from '../../src-shared/ipc/names';
import { type DispatchOptions, dispatch } from '../ipc/dispatch';
import type { BatchedEvent } from '../ipc/event-batcher';
import type { HandlerDeps, HandlerTable } from '../ipc/types';
import { resolveStaticFile } from './static-files';

/** The console page's policy: its own scripts only, no inline script, talks only to its origin. */
export const SERVE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** A fleet file may be 20 MB of JSON text, itself sent as a JSON string. */
const MAX_BODY_BYTES = 48 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export interface ConsoleServerOptions {
  table: HandlerTable;
  deps: HandlerDeps;
  /** The built renderer (index.html and its assets). */
  staticDir: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Defaults to a fresh random token per launch. */
  token?: string;
  dispatchOptions?: DispatchOptions;
}

export interface ConsoleServer {
  port: number;
  token: string;
  /** The address to open, token included: `http://127.0.0.1:PORT/?token=…`. */
  url: string;
  /** Writes a batch of push events to every connected event stream. */
  broadcast(events: readonly BatchedEvent[]): void;
  /** Open event streams (tests). */
  clients(): number;
  close(): Promise<void>;
}

const STATUS: Record<BridgeError['code'], number> = {
  invalid_input: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  internal: 500,
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  });
  response.end(text);
}

function sendError(
  response: ServerResponse,
  status: number,
  code: BridgeError['code'],
  message: string,
  problems: string[] = [],
): void {
  sendJson(response, status, { error: { code, message, problems } });
}

function sameToken(candidate: string | undefined, token: string): boolean {
  if (candidate === undefined) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('too large'));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

/**
 * The headless console: the built renderer and the handler table on 127.0.0.1 only. Every
 * request must name this server in its Host (a DNS-rebinding guard) and, when a browser sends an
 * Origin, come from this server's own origin; every /api request needs the per-launch token
 * (header, `?token=`, or the HttpOnly SameSite=Strict cookie set when the page loads with it).
 */
export async function startConsoleServer(options: ConsoleServerOptions): Promise<ConsoleServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const streams = new Set<ServerResponse>();
  let port = 0;
  let cookieName = 'fleetdeck_token';
  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = (): Set<string> =>
    new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`]);

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const host = request.headers.host ?? '';
    if (!allowedHosts().has(host.toLowerCase())) {
      sendError(
        response,
        421,
        'unauthorized',
        'this server answers only to 127.0.0.1 and localhost on its own port',
      );
      return;
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !allowedOrigins().has(origin)) {
      sendError(response, 403, 'unauthorized', 'cross-origin requests are refused');
      return;
    }
    const fetchSite = request.headers['sec-fetch-site'];
    const url = new URL(request.url ?? '/', `http://${host}`);
    const queryToken = url.searchParams.get(SERVE_TOKEN_QUERY) ?? undefined;

    if (
      url.pathname === SERVE_API_PREFIX.slice(0, -1) ||
      url.pathname.startsWith(SERVE_API_PREFIX)
    ) {
      if (fetchSite !== undefined && fetchSite !== 'same-origin' && fetchSite !== 'none') {
        sendError(response, 403, 'unauthorized', 'cross-site requests are refused');
        return;
      }
      const header = request.headers[SERVE_TOKEN_HEADER];
      const presented =
        (Array.isArray(header) ? header[0] : header) ??
        queryToken ??
        cookieValue(request.headers.cookie, cookieName);
      if (!sameToken(presented, token)) {
        sendError(
          response,
          401,
          'unauthorized',
          'missing or wrong token: open the URL fleetdeck serve printed',
        );
        return;
      }
      if (url.pathname === SERVE_EVENTS_PATH) {
        if (request.method !== 'GET') {
          sendError(response, 405, 'invalid_input', 'GET only');
          return;
        }
        openStream(response);
        return;
      }
      if (request.method !== 'POST') {
        sendError(response, 405, 'invalid_input', 'POST only');
        return;
      }
      const type = request.headers['content-type'] ?? '';
      if (!/^application\/json\b/i.test(type)) {
        sendError(response, 415, 'invalid_input', 'send application/json');
        return;
      }
      let raw: unknown;
      try {
        const text = await readBody(request);
        raw = text.trim() === '' ? {} : JSON.parse(text);
      } catch (error) {
        sendError(
          response,
          (error as Error).message === 'too large' ? 413 : 400,
          'invalid_input',
          `the body is not JSON: ${(error as Error).message}`,
        );
        return;
      }
      const channel = url.pathname.slice(SERVE_API_PREFIX.length);
      const result = await dispatch(
        options.table,
        channel,
        raw,
        options.deps,
        { url: origin, trusted: () => true },
        options.dispatchOptions,
      );
      if (result.ok) sendJson(response, 200, result.value);
      else sendJson(response, STATUS[result.error.code], { error: result.error });
      return;
    }

    if (request.method !== 'GET' && request.method !== 'HEAD') {
      sendError(response, 405, 'invalid_input', 'GET only');
      return;
    }
    const file = resolveStaticFile(options.staticDir, url.pathname);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(
        url.pathname === '/'
          ? 'The console is not built: run "npm run build:renderer", then restart fleetdeck serve.\n'
          : 'not found\n',
      );
      return;
    }
    const headers: Record<string, string> = {
      'content-type': file.contentType,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': file.isHtml ? 'no-store' : 'no-cache',
    };
    if (file.isHtml) {
      headers['content-security-policy'] = SERVE_CSP;
      headers['x-frame-options'] = 'DENY';
      if (sameToken(queryToken, token)) {
        headers['set-cookie'] = `${cookieName}=${token}; HttpOnly; SameSite=Strict; Path=/`;
      }
    }
    response.writeHead(200, headers);
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    fs.createReadStream(file.file).pipe(response);
  };

  const openStream = (response: ServerResponse): void => {
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 2000\n: connected\n\n');
    streams.add(response);
    const heartbeat = setInterval(() => response.write(': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    response.on('close', () => {
      clearInterval(heartbeat);
      streams.delete(response);
    });
  };

  const server = http.createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent)
        sendError(
          response,
          500,
          'internal',
          error instanceof Error ? error.message : String(error),
        );
      else response.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  // Cookies are not separated by port: two consoles on one machine must not overwrite each other's.
  cookieName = `fleetdeck_token_${port}`;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/?${SERVE_TOKEN_QUERY}=${token}`,
    broadcast(events) {
      if (streams.size === 0 || events.length === 0) return;
      const text = events
        .map((item) => `event: ${item.event}\ndata: ${JSON.stringify(item.payload)}\n\n`)
        .join('');
      for (const stream of streams) stream.write(text);
    },
    clients: () => streams.size,
    close: () =>
      new Promise<void>((resolve) => {
        for (const stream of streams) stream.end();
        streams.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
