import type {
  BridgeError,
  CallResult,
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
  PreloadApi,
} from '../../src-shared/ipc';
import {
  EVENT_NAME_LIST,
  SERVE_API_PREFIX,
  SERVE_EVENTS_PATH,
  SERVE_TOKEN_HEADER,
  SERVE_TOKEN_QUERY,
} from '../../src-shared/ipc/names';

/**
 * The renderer's only door to main: `call(channel, input)` for every contract channel and
 * `subscribe(event, listener)` for push events (returns an unsubscribe function). Types come
 * from the contract, so a schema change breaks callers at compile time.
 */
export interface Bridge {
  readonly transport: 'electron' | 'http';
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  subscribe<E extends EventName>(
    event: E,
    listener: (payload: EventPayload<E>) => void,
  ): () => void;
}

/** A refused or failed call: `error` is the contract's BridgeError (code, message, problems). */
export class BridgeCallError extends Error {
  constructor(readonly error: BridgeError) {
    super(error.message);
    this.name = 'BridgeCallError';
  }
}

function unwrap<C extends Channel>(result: CallResult<C>): ChannelOutput<C> {
  if (result.ok) return result.value;
  throw new BridgeCallError(result.error);
}

/** Electron: the preload's `window.fleetdeck`, one function per channel. */
export function electronBridge(api: PreloadApi): Bridge {
  return {
    transport: 'electron',
    call: async (channel, input) => {
      const invoke = api[channel] as (input: unknown) => Promise<CallResult<typeof channel>>;
      return unwrap(await invoke(input));
    },
    subscribe: (event, listener) => api.on(event, listener),
  };
}

export interface HttpBridgeOptions {
  /** Origin of `fleetdeck serve` (default: the page's own). */
  baseUrl?: string;
  /** The per-launch token; after the first page load the HttpOnly cookie carries it instead. */
  token?: string | undefined;
  fetch?: typeof fetch;
  EventSource?: typeof EventSource;
}

/** `fleetdeck serve`: POST /api/<channel> with JSON, push events over server-sent events. */
export function httpBridge(options: HttpBridgeOptions = {}): Bridge {
  const base = options.baseUrl ?? '';
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.token) headers[SERVE_TOKEN_HEADER] = options.token;
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let source: EventSource | undefined;

  const openStream = (): void => {
    if (source) return;
    const Source = options.EventSource ?? globalThis.EventSource;
    const query = options.token ? `?${SERVE_TOKEN_QUERY}=${encodeURIComponent(options.token)}` : '';
    source = new Source(`${base}${SERVE_EVENTS_PATH}${query}`, { withCredentials: true });
    for (const event of EVENT_NAME_LIST) {
      source.addEventListener(event, (message) => {
        const payload: unknown = JSON.parse((message as MessageEvent<string>).data);
        for (const listener of listeners.get(event) ?? []) listener(payload);
      });
    }
  };

  return {
    transport: 'http',
    call: async (channel, input) => {
      const response = await doFetch(`${base}${SERVE_API_PREFIX}${channel}`, {
        method: 'POST',
        headers,
        credentials: 'same-origin',
        body: JSON.stringify(input ?? {}),
      });
      const body: unknown = await response.json().catch(() => undefined);
      if (response.ok) return body as ChannelOutput<typeof channel>;
      const error = (body as { error?: BridgeError } | undefined)?.error;
      throw new BridgeCallError(
        error ?? {
          code: response.status === 401 ? 'unauthorized' : 'internal',
          message: `HTTP ${response.status} from ${channel}`,
          problems: [],
        },
      );
    },
    subscribe: (event, listener) => {
      let set = listeners.get(event);
      if (!set) {
        set = new Set();
        listeners.set(event, set);
      }
      const entry = listener as (payload: unknown) => void;
      set.add(entry);
      openStream();
      return () => {
        set.delete(entry);
      };
    },
  };
}

/**
 * Picks the transport at startup: the Electron preload when `window.fleetdeck` exists, else
 * HTTP to the page's own origin with the token from `?token=` (which is then removed from the
 * address bar: the server has set its HttpOnly cookie by the time this script runs).
 */
export function connectBridge(): Bridge {
  const preload = (window as unknown as { fleetdeck?: PreloadApi }).fleetdeck;
  if (preload) return electronBridge(preload);
  const url = new URL(window.location.href);
  const token = url.searchParams.get(SERVE_TOKEN_QUERY) ?? undefined;
  if (token !== undefined) {
    url.searchParams.delete(SERVE_TOKEN_QUERY);
    window.history.replaceState(window.history.state, '', url.toString());
  }
  return httpBridge({ token });
}
