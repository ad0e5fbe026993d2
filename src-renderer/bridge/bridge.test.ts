import { describe, expect, it } from 'vitest';
import type { PreloadApi } from '../../src-shared/ipc';
import { BridgeCallError, electronBridge, httpBridge } from './index';

function fakeFetch(reply: (url: string, init: RequestInit) => { status: number; body: unknown }) {
  const requests: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    requests.push({ url, init });
    const { status, body } = reply(url, init);
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'content-type': 'application/json' },
    });
  }) as unknown as typeof fetch;
  return { fetchImpl, requests };
}

class FakeEventSource {
  static last: FakeEventSource | undefined;
  readonly listeners = new Map<string, ((message: MessageEvent<string>) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.last = this;
  }
  addEventListener(event: string, listener: (message: MessageEvent<string>) => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  emit(event: string, payload: unknown): void {
    for (const listener of this.listeners.get(event) ?? [])
      listener({ data: JSON.stringify(payload) } as MessageEvent<string>);
  }
}

describe('httpBridge', () => {
  it('posts the input to /api/<channel> with the token header and answers the value', async () => {
    const { fetchImpl, requests } = fakeFetch(() => ({ status: 200, body: [] }));
    const bridge = httpBridge({ token: 't0k', fetch: fetchImpl });
    expect(await bridge.call('notifications.list', { limit: 5 })).toEqual([]);
    expect(requests[0]!.url).toBe('/api/notifications.list');
    expect(requests[0]!.init.headers).toMatchObject({ 'x-fleetdeck-token': 't0k' });
    expect(JSON.parse(String(requests[0]!.init.body))).toEqual({ limit: 5 });
  });

  it('rejects with the BridgeError the server answered', async () => {
    const error = { code: 'invalid_input', message: 'bad input', problems: ['limit: too big'] };
    const { fetchImpl } = fakeFetch(() => ({ status: 400, body: { error } }));
    const bridge = httpBridge({ fetch: fetchImpl });
    const failure = await bridge
      .call('notifications.list', { limit: 5 })
      .catch((caught: unknown) => caught);
    expect(failure).toBeInstanceOf(BridgeCallError);
    expect((failure as BridgeCallError).error).toEqual(error);
  });

  it('delivers server-sent events to subscribers until they unsubscribe', () => {
    const { fetchImpl } = fakeFetch(() => ({ status: 200, body: {} }));
    const bridge = httpBridge({
      token: 'abc',
      fetch: fetchImpl,
      EventSource: FakeEventSource as unknown as typeof EventSource,
    });
    const seen: unknown[] = [];
    const unsubscribe = bridge.subscribe('fleet.changed', (payload) => seen.push(payload));
    const source = FakeEventSource.last!;
    expect(source.url).toBe('/api/events?token=abc');
    source.emit('fleet.changed', { modelIds: ['a'] });
    unsubscribe();
    source.emit('fleet.changed', { modelIds: ['b'] });
    expect(seen).toEqual([{ modelIds: ['a'] }]);
  });
});

describe('electronBridge', () => {
  it('calls the preload function of the channel and unwraps its result', async () => {
    const api = {
      'notifications.list': async () => ({ ok: true, value: [] }),
      'runs.get': async () => ({
        ok: false,
        error: { code: 'not_found', message: 'no run x', problems: [] },
      }),
      on: () => () => {},
    } as unknown as PreloadApi;
    const bridge = electronBridge(api);
    expect(await bridge.call('notifications.list', {})).toEqual([]);
    await expect(bridge.call('runs.get', { runId: 'x' })).rejects.toMatchObject({
      error: { code: 'not_found' },
    });
  });
});
