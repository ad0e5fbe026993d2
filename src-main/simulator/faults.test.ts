import http from 'node:http';
import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type FaultSpecInput, type RunningSimulator, startSimulator } from '.';
import { FaultBoard } from './fault-board';
import { chatBody, postChat, TEST_PROFILES } from './testing';

let simulator: RunningSimulator | undefined;
afterEach(async () => {
  await simulator?.close();
  simulator = undefined;
});

async function withFault(
  fault: FaultSpecInput,
): Promise<{ sim: RunningSimulator; base: string; id: string }> {
  simulator = await startSimulator({ profiles: TEST_PROFILES, latencyScale: 0, seed: 3 });
  const id = simulator.injectFault(fault);
  return { sim: simulator, base: `${simulator.url}/sim-a/v1`, id };
}

/** Reads a streaming body; resolves with the text and whether it ended cleanly. */
async function readAll(
  response: Response,
): Promise<{ text: string; ended: boolean; firstChunkMs: number; gapsMs: number[] }> {
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  const startedAt = Date.now();
  let last = startedAt;
  let firstChunkMs = -1;
  const gapsMs: number[] = [];
  let text = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return { text, ended: true, firstChunkMs, gapsMs };
      const now = Date.now();
      if (firstChunkMs === -1) firstChunkMs = now - startedAt;
      else gapsMs.push(now - last);
      last = now;
      text += decoder.decode(value, { stream: true });
    }
  } catch {
    return { text, ended: false, firstChunkMs, gapsMs };
  }
}

function events(text: string): string[] {
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => block.replace(/^data: /, ''));
}

describe('HTTP error faults', () => {
  it.each([
    ['500', 500],
    ['502', 502],
    ['503', 503],
    ['529', 529],
    ['404', 404],
    ['401', 401],
  ] as const)('answers %s with HTTP %i and logs it', async (kind, status) => {
    const { sim, base, id } = await withFault({ kind, target: { provider: 'sim-a' } });
    const response = await postChat(base, chatBody('alpha/clean-70b'));
    expect(response.status).toBe(status);
    expect(sim.requestLog()).toMatchObject([{ status, outcome: kind, faultId: id, usage: null }]);
  });

  it('answers 429 with Retry-After in seconds', async () => {
    const { base } = await withFault({ kind: '429', retryAfter: { form: 'seconds', ms: 2_500 } });
    const response = await postChat(base, chatBody('alpha/clean-70b'));
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('3');
  });

  it('answers 429 with Retry-After as an HTTP date', async () => {
    const { base } = await withFault({ kind: '429', retryAfter: { form: 'date', ms: 5_000 } });
    const before = Date.now();
    const response = await postChat(base, chatBody('alpha/clean-70b'));
    const at = Date.parse(response.headers.get('retry-after') ?? '');
    expect(at).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 4_000);
    expect(at).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it('answers 429 with retry-after-ms', async () => {
    const { base } = await withFault({ kind: '429', retryAfter: { form: 'ms', ms: 750 } });
    const response = await postChat(base, chatBody('alpha/clean-70b'));
    expect(response.headers.get('retry-after-ms')).toBe('750');
    expect(response.headers.get('retry-after')).toBeNull();
  });

  it('answers 400 context_length_exceeded and content_policy_violation', async () => {
    const { sim, base } = await withFault({ kind: 'context-length', count: 1 });
    sim.injectFault({ kind: 'content-policy', count: 1 });
    const first = await postChat(base, chatBody('alpha/clean-70b'));
    const second = await postChat(base, chatBody('alpha/clean-70b'));
    expect([first.status, second.status]).toEqual([400, 400]);
    expect(((await first.json()) as { error: { code: string } }).error.code).toBe(
      'context_length_exceeded',
    );
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe(
      'content_policy_violation',
    );
  });

  it('answers 400 context_length_exceeded when the prompt is over the context window', async () => {
    simulator = await startSimulator({
      profiles: { version: 1, models: { tiny: { provider: 'sim-a', contextWindow: 10 } } },
      latencyScale: 0,
    });
    const response = await postChat(`${simulator.url}/v1`, chatBody('tiny'));
    expect(response.status).toBe(400);
    expect(simulator.requestLog()).toMatchObject([{ status: 400, outcome: 'context-length' }]);
  });

  it('answers 404 for an unknown model and for a retired alias', async () => {
    simulator = await startSimulator({
      profiles: { version: 1, models: { old: { provider: 'sim-a', gone: true } } },
      latencyScale: 0,
    });
    expect((await postChat(`${simulator.url}/v1`, chatBody('nope'))).status).toBe(404);
    expect((await postChat(`${simulator.url}/v1`, chatBody('old'))).status).toBe(404);
    expect(simulator.requestLog().map((entry) => entry.outcome)).toEqual(['404', '404']);
  });
});

describe('connection faults', () => {
  it('resets the connection before any header', async () => {
    const { sim, base } = await withFault({ kind: 'reset' });
    await expect(postChat(base, chatBody('alpha/clean-70b'))).rejects.toThrow();
    expect(sim.requestLog()).toMatchObject([{ status: 0, outcome: 'reset' }]);
  });

  it('accepts and hangs until the client gives up', async () => {
    const { sim, base } = await withFault({ kind: 'hang' });
    const startedAt = Date.now();
    const error = await postChat(base, chatBody('alpha/clean-70b'), {
      signal: AbortSignal.timeout(200),
    }).catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('TimeoutError');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect(sim.requestLog()).toMatchObject([{ status: 0, outcome: 'hang' }]);
  });
});

describe('delivery faults', () => {
  it('delays the first token of a stream after sending the headers', async () => {
    const { base } = await withFault({ kind: 'slow-first-token', delayMs: 150 });
    const startedAt = Date.now();
    const response = await postChat(base, chatBody('alpha/clean-70b', { stream: true }));
    const headersMs = Date.now() - startedAt;
    const read = await readAll(response);
    expect(headersMs).toBeLessThan(120);
    expect(headersMs + read.firstChunkMs).toBeGreaterThanOrEqual(140);
    expect(read.ended).toBe(true);
    expect(read.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('delays a non-streaming reply by the slow-first-token delay', async () => {
    const { base } = await withFault({ kind: 'slow-first-token', delayMs: 120 });
    const startedAt = Date.now();
    const response = await postChat(base, chatBody('alpha/clean-70b'));
    expect(response.status).toBe(200);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(110);
  });

  it('stalls mid-stream, then finishes', async () => {
    const { sim, base } = await withFault({ kind: 'stall', delayMs: 150 });
    const read = await readAll(
      await postChat(base, chatBody('alpha/thinker', { stream: true, includeUsage: true })),
    );
    expect(Math.max(...read.gapsMs)).toBeGreaterThanOrEqual(140);
    expect(read.ended).toBe(true);
    expect(events(read.text).at(-1)).toBe('[DONE]');
    expect(sim.requestLog()).toMatchObject([
      { status: 200, outcome: 'stall', usage: { prompt_tokens: expect.any(Number) } },
    ]);
  });

  it('lets a client deadline end a stalled stream, and logs it as aborted', async () => {
    const { sim, base } = await withFault({ kind: 'stall', delayMs: 5_000 });
    const response = await postChat(base, chatBody('alpha/thinker', { stream: true }), {
      signal: AbortSignal.timeout(200),
    });
    const read = await readAll(response);
    expect(read.ended).toBe(false);
    await expect.poll(() => sim.requestLog().length).toBe(1);
    expect(sim.requestLog()).toMatchObject([
      { status: 200, outcome: 'stall', aborted: true, usage: null },
    ]);
  });

  it('cuts a stream mid-way: no finish reason, no [DONE]', async () => {
    const { sim, base } = await withFault({ kind: 'cut' });
    const read = await readAll(
      await postChat(base, chatBody('alpha/thinker', { stream: true, includeUsage: true })),
    );
    expect(read.ended).toBe(false);
    expect(read.text).not.toContain('[DONE]');
    expect(read.text).not.toContain('"finish_reason":"stop"');
    expect(sim.requestLog()).toMatchObject([{ status: 200, outcome: 'cut', usage: null }]);
  });

  it('cuts a non-streaming body short of its content-length', async () => {
    const { base } = await withFault({ kind: 'cut' });
    const response = await postChat(base, chatBody('alpha/clean-70b'));
    expect(response.status).toBe(200);
    await expect(response.text()).rejects.toThrow();
  });

  it('sends one malformed SSE event that the openai client cannot parse', async () => {
    const { base } = await withFault({ kind: 'malformed-sse' });
    const read = await readAll(await postChat(base, chatBody('alpha/thinker', { stream: true })));
    const broken = events(read.text).filter((data) => {
      if (data === '[DONE]') return false;
      try {
        JSON.parse(data);
        return false;
      } catch {
        return true;
      }
    });
    expect(broken).toHaveLength(1);

    const client = new OpenAI({ baseURL: base, apiKey: 'none', maxRetries: 0 });
    // The client logs the unparsable event before throwing; keep the test output quiet.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const consume = async (): Promise<void> => {
      const stream = await client.chat.completions.create({
        model: 'alpha/thinker',
        messages: [{ role: 'user', content: 'hi' }],
        stream: true,
      });
      for await (const _chunk of stream) {
        // drain
      }
    };
    await expect(consume()).rejects.toThrow();
    quiet.mockRestore();
  });

  it('ends a stream without [DONE]', async () => {
    const { base } = await withFault({ kind: 'missing-done' });
    const read = await readAll(await postChat(base, chatBody('alpha/clean-70b', { stream: true })));
    expect(read.ended).toBe(true);
    expect(read.text).toContain('"finish_reason":"stop"');
    expect(read.text).not.toContain('[DONE]');
  });

  it('never sends a finish_reason, streaming or not', async () => {
    const { base } = await withFault({ kind: 'missing-finish-reason' });
    const read = await readAll(await postChat(base, chatBody('alpha/clean-70b', { stream: true })));
    expect(read.text).toContain('[DONE]');
    expect(read.text).not.toMatch(/"finish_reason":"/);
    const plain = (await (await postChat(base, chatBody('alpha/clean-70b'))).json()) as {
      choices: { finish_reason: string | null }[];
    };
    expect(plain.choices[0]?.finish_reason).toBeNull();
  });

  it('never applies a stream-only fault to a non-streaming request', async () => {
    const { sim, base } = await withFault({ kind: 'missing-done' });
    expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(200);
    expect(sim.requestLog()).toMatchObject([{ outcome: 'ok', faultId: null }]);
  });
});

describe('fault targets, rates and schedules', () => {
  it('hits only the targeted provider', async () => {
    simulator = await startSimulator({ profiles: TEST_PROFILES, latencyScale: 0 });
    simulator.injectFault({ kind: '503', target: { provider: 'sim-b' } });
    expect((await postChat(`${simulator.url}/sim-a/v1`, chatBody('alpha/clean-70b'))).status).toBe(
      200,
    );
    expect((await postChat(`${simulator.url}/sim-b/v1`, chatBody('beta/clean-8b'))).status).toBe(
      503,
    );
    // Unprefixed requests are served as the model's own provider.
    expect((await postChat(`${simulator.url}/v1`, chatBody('beta/clean-8b'))).status).toBe(503);
  });

  it('hits only the targeted model', async () => {
    const { base } = await withFault({ kind: '500', target: { model: 'alpha/thinker' } });
    expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(200);
    expect((await postChat(base, chatBody('alpha/thinker'))).status).toBe(500);
  });

  it('hits about `rate` of the requests', async () => {
    const { sim, base } = await withFault({ kind: '503', rate: 0.3 });
    for (let index = 0; index < 200; index++) {
      await postChat(base, chatBody('alpha/clean-70b', { user: `match ${index}` }));
    }
    const faulted = sim.requestLog().filter((entry) => entry.outcome === '503').length;
    expect(faulted).toBeGreaterThan(35);
    expect(faulted).toBeLessThan(85);
  });

  it('hits only the first `count` requests', async () => {
    const { sim, base } = await withFault({ kind: '502', count: 3 });
    const statuses = [];
    for (let index = 0; index < 5; index++)
      statuses.push((await postChat(base, chatBody('alpha/clean-70b'))).status);
    expect(statuses).toEqual([502, 502, 502, 200, 200]);
    expect(sim.listFaults()).toEqual([]);
  });

  // The schedule reads the clock: only Date is faked (the HTTP round trips stay real), so a slow
  // machine cannot move a request across the window's edge.
  it('runs an outage window: 503 for its duration, then healthy', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { sim, base } = await withFault({ kind: '503', schedule: { forMs: 100 } });
      expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(503);
      vi.setSystemTime(Date.now() + 99);
      expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(503);
      vi.setSystemTime(Date.now() + 2);
      expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(200);
      expect(sim.listFaults()).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('starts a scheduled fault only after its delay', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const { base } = await withFault({ kind: '503', schedule: { afterMs: 80 } });
      expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(200);
      vi.setSystemTime(Date.now() + 79);
      expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(200);
      vi.setSystemTime(Date.now() + 2);
      expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(503);
    } finally {
      vi.useRealTimers();
    }
  });

  it("applies a personality's own faults", async () => {
    simulator = await startSimulator({
      profiles: {
        version: 1,
        models: { flaky: { provider: 'sim-a', faults: [{ kind: '529', count: 1 }] } },
      },
      latencyScale: 0,
    });
    const statuses = [];
    for (let index = 0; index < 2; index++)
      statuses.push((await postChat(`${simulator.url}/v1`, chatBody('flaky'))).status);
    expect(statuses).toEqual([529, 200]);
    expect(simulator.requestLog()[0]).toMatchObject({ outcome: '529', faultId: 'profile' });
  });

  it('clears faults by provider, model or id', async () => {
    simulator = await startSimulator({ profiles: TEST_PROFILES, latencyScale: 0 });
    const first = simulator.injectFault({ kind: '503', target: { provider: 'sim-a' } });
    simulator.injectFault({ kind: '503', target: { provider: 'sim-b' } });
    simulator.injectFault({ kind: '500', target: { model: 'alpha/thinker' } });
    expect(simulator.clearFaults({ model: 'alpha/thinker' })).toBe(1);
    expect(simulator.clearFaults({ id: first })).toBe(1);
    expect(simulator.listFaults().map((fault) => fault.spec.target)).toEqual([
      { provider: 'sim-b' },
    ]);
    expect(simulator.clearFaults()).toBe(1);
  });

  it('counts only live faults when clearing, not those whose count or window is spent', async () => {
    const { sim, base } = await withFault({ kind: '502', count: 1 });
    sim.injectFault({ kind: '503', count: 2, target: { model: 'alpha/thinker' } });
    expect((await postChat(base, chatBody('alpha/clean-70b'))).status).toBe(502);
    expect(sim.clearFaults()).toBe(1);
    expect(sim.listFaults()).toEqual([]);

    // A window that has passed, on the board's own clock.
    const board = new FaultBoard();
    board.inject({ kind: '503', rate: 1, target: {}, schedule: { afterMs: 0, forMs: 100 } }, 0);
    board.inject({ kind: '500', rate: 1, target: {} }, 0);
    expect(board.clear({}, 200)).toBe(1);
    expect(board.size).toBe(0);
  });
});

describe('simulated latency', () => {
  /** Sends the request's headers at once and its body `bodyDelayMs` later; resolves once the reply has ended. */
  function slowBodyRequest(url: string, body: string, bodyDelayMs: number): Promise<{ status: number; totalMs: number; text: string }> {
    return new Promise((resolve, reject) => {
      const startedAt = performance.now();
      const request = http.request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, totalMs: performance.now() - startedAt, text }));
      });
      request.on('error', reject);
      request.flushHeaders();
      setTimeout(() => request.end(body), bodyDelayMs);
    });
  }

  it.each([false, true])('counts the first-token delay from the request’s arrival, not from its last body byte (stream: %s)', async (stream) => {
    simulator = await startSimulator({
      profiles: {
        version: 1,
        models: { 'alpha/steady': { provider: 'sim-a', style: 'clean', latency: { ttftMs: 400, ttftSpreadMs: 0, tokensPerSecond: 100_000, tokensPerSecondSpread: 0 } } },
      },
      latencyScale: 1,
      seed: 3,
    });
    const reply = await slowBodyRequest(`${simulator.url}/sim-a/v1/chat/completions`, JSON.stringify(chatBody('alpha/steady', { stream })), 250);
    expect(reply.status).toBe(200);
    expect(reply.text).toContain(stream ? 'data: [DONE]' : '"finish_reason":"stop"');
    // 400 ms after the headers arrived; counting from the body's end would take 650 ms or more.
    expect(reply.totalMs).toBeGreaterThanOrEqual(390);
    expect(reply.totalMs).toBeLessThan(640);
  });
});
