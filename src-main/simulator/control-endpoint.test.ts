import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '.';
import { chatBody, postChat, TEST_PROFILES } from './testing';

describe('the control endpoint', () => {
  let simulator: RunningSimulator;
  const key = 'sk-control';
  const control = (path: string, init: RequestInit = {}): Promise<Response> =>
    fetch(`${simulator.url}/_control${path}`, {
      ...init,
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    });

  beforeAll(async () => {
    simulator = await startSimulator({ profiles: TEST_PROFILES, key, latencyScale: 0 });
  });
  afterAll(() => simulator.close());

  it('injects a fault that the next request gets, lists it, and clears it', async () => {
    const injected = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({
        kind: '503',
        target: { provider: 'sim-b' },
        schedule: { forMs: 60_000 },
      }),
    });
    expect(injected.status).toBe(201);
    const { id } = (await injected.json()) as { id: string };

    expect(
      (await postChat(`${simulator.url}/sim-b/v1`, chatBody('beta/clean-8b'), { key })).status,
    ).toBe(503);
    const listed = (await (await control('/faults')).json()) as {
      faults: { id: string; fired: number }[];
    };
    expect(listed.faults).toMatchObject([{ id, fired: 1 }]);

    const cleared = await control('/faults?provider=sim-b', { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ cleared: 1 });
    expect(
      (await postChat(`${simulator.url}/sim-b/v1`, chatBody('beta/clean-8b'), { key })).status,
    ).toBe(200);
  });

  it('answers 400 naming the bad field of a fault spec', async () => {
    const response = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ kind: '503', rate: 2 }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { message: string; param: string } };
    expect(body.error.param).toBe('rate');
    expect(body.error.message).toMatch(/^rate: /);

    const unknownKind = await control('/faults', {
      method: 'POST',
      body: JSON.stringify({ kind: 'explode' }),
    });
    expect(((await unknownKind.json()) as { error: { param: string } }).error.param).toBe('kind');
    const notJson = await control('/faults', { method: 'POST', body: '{' });
    expect(notJson.status).toBe(400);
  });

  it('serves and resets the request log', async () => {
    await control('/log', { method: 'DELETE' });
    await postChat(`${simulator.url}/v1`, chatBody('alpha/clean-70b'), { key });
    const log = (await (await control('/log')).json()) as {
      entries: { model: string; outcome: string }[];
    };
    expect(log.entries).toMatchObject([{ model: 'alpha/clean-70b', outcome: 'ok' }]);
    expect(simulator.requestLog()).toHaveLength(1);
  });

  it('requires the key', async () => {
    const response = await fetch(`${simulator.url}/_control/faults`, {
      method: 'POST',
      body: '{"kind":"503"}',
    });
    expect(response.status).toBe(401);
    expect(simulator.listFaults()).toEqual([]);
  });
});
