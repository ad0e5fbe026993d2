import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ActiveFault, FaultSpecInput } from '../../src-shared/simulator';
import { InputError } from '../../src-shared/errors';
import { FaultSpecSchema } from '../../src-shared/simulator';
import { FaultBoard, type FaultFilter } from './fault-board';
import { sendError } from './http-replies';
import { compileProfiles, loadProfiles, parseProfiles } from './load-profiles';
import type { SimulatorProfilesInput } from './profile-schema';
import { seedToInt } from './random';
import { RequestLog, type RequestLogEntry } from './request-log';
import { serveCompletion } from './serve-completion';
import { serveControl } from './serve-control';
import { type Arrival, type SimulatorState, unservedTarget } from './simulator-state';

export interface SimulatorOptions {
  /** 0 or absent: a free port. */
  port?: number;
  host?: '127.0.0.1';
  seed?: number | string;
  /** When set, every request needs `Authorization: Bearer <key>`. */
  key?: string;
  /** Personalities; else read from `profilesFile`; else the built-in profiles. */
  profiles?: SimulatorProfilesInput;
  profilesFile?: string;
  /** Multiplies every personality's latency: 1 realistic (default), 0 answers at once. */
  latencyScale?: number;
  /** Request log ring buffer size (default 100,000). */
  logCapacity?: number;
}

export interface RunningSimulator {
  /** `http://127.0.0.1:PORT`; each provider's base URL is `${url}/<providerId>/v1`. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Returns the fault id. Throws on an invalid spec. */
  injectFault(spec: FaultSpecInput): string;
  listFaults(): ActiveFault[];
  clearFaults(filter?: FaultFilter): number;
  requestLog(): readonly RequestLogEntry[];
  resetLog(): void;
}

const MAX_BODY_BYTES = 8 * 1024 * 1024;

function modelListBody(state: SimulatorState, provider: string | null): string {
  const data = [];
  for (const model of state.models.values()) {
    if (model.profile.gone || (provider !== null && model.provider !== provider)) continue;
    data.push({ id: model.id, object: 'model', created: 1_700_000_000, owned_by: model.provider });
  }
  return JSON.stringify({ object: 'list', data });
}

function routeOpenAi(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  provider: string | null,
  rest: string,
  bodyText: string,
  arrived: Arrival,
): void {
  const method = request.method ?? 'GET';
  if (rest === '/v1/chat/completions') {
    if (method !== 'POST') {
      sendError(response, 405, { message: 'Use POST.', type: 'invalid_request_error' });
      return;
    }
    serveCompletion(state, request, response, provider, bodyText, arrived);
    return;
  }
  if (rest === '/v1/models' && method === 'GET') {
    const text = state.modelLists.get(provider ?? '') as string;
    response.writeHead(200, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(text),
    });
    response.end(text);
    return;
  }
  if (rest.startsWith('/v1/models/') && method === 'GET') {
    const id = decodeURIComponent(rest.slice('/v1/models/'.length));
    const model = state.models.get(id);
    if (model && !model.profile.gone && (provider === null || model.provider === provider)) {
      const text = JSON.stringify({
        id,
        object: 'model',
        created: 1_700_000_000,
        owned_by: model.provider,
      });
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
      return;
    }
    sendError(response, 404, {
      message: `The model \`${id}\` does not exist.`,
      type: 'invalid_request_error',
      param: 'model',
      code: 'model_not_found',
    });
    return;
  }
  sendError(response, 404, { message: `Unknown path ${rest}.`, type: 'invalid_request_error' });
}

/** A chat completion refused for its key is still a request the client made: log it. */
function logRefusedCompletion(
  state: SimulatorState,
  url: string,
  bodyText: string,
  arrived: Arrival,
): void {
  let model = '';
  let stream = false;
  try {
    const body = JSON.parse(bodyText) as { model?: unknown; stream?: unknown };
    if (typeof body.model === 'string') model = body.model;
    stream = body.stream === true;
  } catch {
    // An unreadable body is still logged, with no model.
  }
  const prefix = url.startsWith('/v1/') ? '' : url.slice(1, url.indexOf('/', 1));
  state.log.push({
    seq: ++state.seq,
    at: arrived.at,
    provider: state.providers.has(prefix) ? prefix : (state.models.get(model)?.provider ?? null),
    model,
    stream,
    status: 401,
    outcome: '401',
    faultId: null,
    usage: null,
    finishReason: null,
    aborted: false,
    durationMs: Date.now() - arrived.at,
  });
}

function handle(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  bodyText: string,
  arrived: Arrival,
): void {
  if (
    state.expectedAuthorization !== null &&
    request.headers.authorization !== state.expectedAuthorization
  ) {
    if ((request.url ?? '').split('?')[0]?.endsWith('/chat/completions')) {
      logRefusedCompletion(state, request.url ?? '', bodyText, arrived);
    }
    sendError(response, 401, {
      message: 'Incorrect API key provided.',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    });
    return;
  }
  const url = request.url ?? '/';
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  if (path.startsWith('/v1/')) {
    routeOpenAi(state, request, response, null, path, bodyText, arrived);
    return;
  }
  if (path.startsWith('/_control/')) {
    serveControl(
      state,
      request.method ?? 'GET',
      path,
      queryAt === -1 ? '' : url.slice(queryAt + 1),
      bodyText,
      response,
    );
    return;
  }
  const slash = path.indexOf('/', 1);
  const provider = slash === -1 ? '' : path.slice(1, slash);
  if (!state.providers.has(provider)) {
    sendError(response, 404, { message: `Unknown path ${path}.`, type: 'invalid_request_error' });
    return;
  }
  routeOpenAi(state, request, response, provider, path.slice(slash), bodyText, arrived);
}

/**
 * Starts the simulated fleet: an OpenAI-compatible server on 127.0.0.1 whose models behave like
 * their profiles, with faults injectable while it runs. Serves `/v1/...` and `/<provider>/v1/...`.
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const startedAt = Date.now();
  const profiles = options.profiles
    ? parseProfiles(options.profiles, 'options.profiles')
    : loadProfiles(options.profilesFile);
  const models = compileProfiles(profiles, startedAt);
  const state: SimulatorState = {
    seed: seedToInt(options.seed),
    expectedAuthorization: options.key ? `Bearer ${options.key}` : null,
    models,
    providers: new Set([...models.values()].map((model) => model.provider)),
    modelLists: new Map(),
    board: new FaultBoard(),
    log: new RequestLog(options.logCapacity),
    counters: new Map(),
    latencyScale: options.latencyScale ?? 1,
    timers: new Set(),
    seq: 0,
    startedAt,
  };
  state.modelLists.set('', modelListBody(state, null));
  for (const provider of state.providers)
    state.modelLists.set(provider, modelListBody(state, provider));

  const server = http.createServer((request, response) => {
    const arrived: Arrival = { at: Date.now(), mono: performance.now() };
    let bodyText = '';
    let bytes = 0;
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      bytes += chunk.length;
      if (bytes > MAX_BODY_BYTES) {
        sendError(response, 413, {
          message: 'Request body too large.',
          type: 'invalid_request_error',
        });
        request.destroy();
        return;
      }
      bodyText += chunk;
    });
    request.on('end', () => {
      if (response.headersSent) return;
      handle(state, request, response, bodyText, arrived);
    });
  });
  server.keepAliveTimeout = 30_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close() {
      closing ??= new Promise<void>((resolve) => {
        for (const timer of state.timers) clearTimeout(timer);
        state.timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
    injectFault(spec) {
      const fault = FaultSpecSchema.parse(spec);
      const unserved = unservedTarget(state, fault.target);
      if (unserved) throw new InputError(`${unserved.field}: ${unserved.message}`);
      return state.board.inject(fault, Date.now());
    },
    listFaults: () => state.board.list(Date.now()),
    clearFaults: (filter) => state.board.clear(filter),
    requestLog: () => state.log.list(),
    resetLog: () => state.log.reset(),
  };
}
