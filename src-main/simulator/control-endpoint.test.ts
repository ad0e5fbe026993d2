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

  it('refuses a fault whose target this simulator does not serve, so a typo never makes a silent drill', async () => {
    const cases: [Record<string, string>, string, RegExp][] = [
      [{ provider: 'nope' }, 'target.provider', /^target\.provider: no simulated provider "nope" \(served: sim-a, sim-b\)$/],
      [{ model: 'alpha/clean-7b' }, 'target.model', /^target\.model: no simulated model "alpha\/clean-7b"/],
      [{ provider: 'sim-b', model: 'alpha/clean-70b' }, 'target.model', /^target\.model: "alpha\/clean-70b" is served by sim-a, not sim-b$/],
    ];
    for (const [target, param, message] of cases) {
      const response = await control('/faults', { method: 'POST', body: JSON.stringify({ kind: '503', target }) });
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { message: string; param: string } };
      expect(body.error).toMatchObject({ param, message: expect.stringMatching(message) });
    }
    expect(() => simulator.injectFault({ kind: '503', target: { provider: 'nope' } })).toThrow(/^target\.provider: no simulated provider "nope"/);
    expect(((await (await control('/faults')).json()) as { faults: unknown[] }).faults).toEqual([]);
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
