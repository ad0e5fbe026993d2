import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { type ChatRequestBody, sendChat } from './chat-client';

/** A server on 127.0.0.1 whose handler each test writes; every socket it accepted is counted. */
async function startServer(handler: http.RequestListener) {
  const server = http.createServer(handler);
  let sockets = 0;
  server.on('connection', () => sockets++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    sockets: () => sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const body = (stream = false): ChatRequestBody => ({
  model: 'm',
  messages: [{ role: 'user', content: 'score?' }],
  max_tokens: 64,
  temperature: 0,
  stream,
});
const completion = JSON.stringify({
  choices: [{ message: { content: '{"home":1,"away":0}' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 10, completion_tokens: 5 },
});

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(handler: http.RequestListener, connections = 4) {
  const server = await startServer(handler);
  const dispatcher = new Agent({ connections, keepAliveTimeout: 30_000 });
  cleanups.push(server.close, () => dispatcher.close());
  const send = (
    options: { stream?: boolean; totalMs?: number; firstTokenMs?: number; idleMs?: number; signal?: AbortSignal; onFirstToken?: () => void } = {},
  ) =>
    sendChat({
      baseUrl: server.baseUrl,
      apiKey: 'sk-test',
      body: body(options.stream),
      dispatcher,
      signal: options.signal,
      onFirstToken: options.onFirstToken,
      deadlines: { totalMs: options.totalMs ?? 2000, firstTokenMs: options.firstTokenMs ?? options.totalMs ?? 2000, idleMs: options.idleMs ?? 2000 },
    });
  return { server, send };
}

describe('sendChat', () => {
  it('answers a completion with its usage, sent to the base URL with the key', async () => {
    const seen: { url?: string; authorization?: string } = {};
    const { send } = await setup((request, response) => {
      seen.url = request.url;
      seen.authorization = request.headers.authorization;
      request.resume();
      request.on('end', () => response.end(completion));
    });
    const outcome = await send();
    expect(outcome).toMatchObject({ ok: true, content: '{"home":1,"away":0}', finishReason: 'stop', httpStatus: 200 });
    expect(outcome.usage).toEqual({ promptTokens: 10, completionTokens: 5, reasoningTokens: undefined });
    expect(seen).toEqual({ url: '/v1/chat/completions', authorization: 'Bearer sk-test' });
  });

  it('decodes a reply whose multi-byte characters are split across chunks', async () => {
    const text = JSON.stringify({ choices: [{ message: { content: 'Müller – 2:1 ⚽' }, finish_reason: 'stop' }] });
    const bytes = Buffer.from(text, 'utf8');
    const split = bytes.indexOf(Buffer.from('ü', 'utf8')) + 1; // inside the two bytes of ü
    const { send } = await setup((request, response) => {
      request.resume();
      response.write(bytes.subarray(0, split));
      setTimeout(() => response.end(bytes.subarray(split)), 20);
    });
    expect((await send()).content).toBe('Müller – 2:1 ⚽');
  });

  it('decodes a stream whose multi-byte characters are split across chunks', async () => {
    const event = (content: string, finish?: string) =>
      `data: ${JSON.stringify({ choices: [{ delta: { content }, ...(finish ? { finish_reason: finish } : {}) }] })}\n\n`;
    const bytes = Buffer.from(`${event('Müller – ')}${event('2:1 ⚽', 'stop')}data: [DONE]\n\n`, 'utf8');
    const splits = [bytes.indexOf(Buffer.from('ü', 'utf8')) + 1, bytes.indexOf(Buffer.from('⚽', 'utf8')) + 2];
    const { send } = await setup((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(bytes.subarray(0, splits[0]));
      setTimeout(() => response.write(bytes.subarray(splits[0], splits[1])), 10);
      setTimeout(() => response.end(bytes.subarray(splits[1])), 20);
    });
    const outcome = await send({ stream: true });
    expect(outcome).toMatchObject({ ok: true, content: 'Müller – 2:1 ⚽', finishReason: 'stop' });
  });

  it('reads the real status after an informational 103', async () => {
    const { send } = await setup((request, response) => {
      request.resume();
      response.writeEarlyHints({ link: '</style.css>; rel=preload; as=style' });
      request.on('end', () => response.end(completion));
    });
    expect(await send()).toMatchObject({ ok: true, httpStatus: 200, content: '{"home":1,"away":0}' });
  });

  it("keeps a stream's 429 and its Retry-After when the error body comes after the first-token deadline", async () => {
    const { send } = await setup((request, response) => {
      request.resume();
      response.writeHead(429, { 'retry-after': '2' });
      response.write('slow down');
      setTimeout(() => response.end(' please'), 150);
    });
    const outcome = await send({ stream: true, firstTokenMs: 50 });
    expect(outcome.error).toMatchObject({ class: 'rate_limited', message: 'HTTP 429: slow down please' });
    expect(outcome.retryAfterMs).toBe(2000);
  });

  it('settles a stream whose first-token listener throws, as a broken reply, and frees the connection', async () => {
    let calls = 0;
    const { send } = await setup((request, response) => {
      calls++;
      request.resume();
      if (calls > 1) return void request.on('end', () => response.end(completion));
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: '{' } }] })}\n\n`);
    }, 1);
    const outcome = await send({
      stream: true,
      onFirstToken: () => {
        throw new Error('listener broke');
      },
    });
    expect(outcome.error).toMatchObject({ class: 'stream_truncated', message: expect.stringContaining('listener broke') });
    expect((await send()).ok).toBe(true);
  });

  it("summarises a long error body and keeps the status's class and Retry-After", async () => {
    const { send } = await setup((request, response) => {
      request.resume();
      response.writeHead(429, { 'retry-after': '3' });
      response.end(`too many requests ${'x'.repeat(100_000)}`);
    });
    const outcome = await send();
    expect(outcome.error?.class).toBe('rate_limited');
    expect(outcome.error?.message.startsWith('HTTP 429: too many requests xxx')).toBe(true);
    expect(outcome.error?.message.length).toBeLessThan(320);
    expect(outcome.retryAfterMs).toBe(3000);
  });

  it('ends a call that waits for a busy connection at its own deadline, never sending it', async () => {
    let requests = 0;
    const { send } = await setup((request) => {
      requests++;
      request.resume(); // never answered
    }, 1);
    const first = send({ totalMs: 1500 });
    const started = performance.now();
    const queued = await send({ totalMs: 200 });
    const waited = performance.now() - started;
    expect(queued.error?.class).toBe('timeout');
    expect(queued.error?.message).toContain('200 ms');
    expect(waited).toBeLessThan(1000);
    expect((await first).error?.class).toBe('timeout');
    // The queued call's turn came after the first was aborted: it was not sent then either.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(requests).toBe(1);
  });

  it('frees the connection of a call it timed out: the next call on a one-connection agent answers', async () => {
    let calls = 0;
    const { server, send } = await setup((request, response) => {
      calls++;
      request.resume();
      if (calls === 1) return; // the first call hangs
      request.on('end', () => response.end(completion));
    }, 1);
    expect((await send({ totalMs: 150 })).error?.class).toBe('timeout');
    const next = await send({ totalMs: 2000 });
    expect(next.ok).toBe(true);
    expect(server.sockets()).toBe(2);
  });

  it('cancels a stream mid-reply at once, keeping what arrived', async () => {
    const controller = new AbortController();
    const { send } = await setup((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: '{"home":' } }] })}\n\n`);
      setTimeout(() => controller.abort(), 50);
    });
    const outcome = await send({ stream: true, signal: controller.signal, totalMs: 5000 });
    expect(outcome.error?.class).toBe('cancelled');
    expect(outcome.content).toBe('{"home":');
    expect(outcome.ttftMs).toBeGreaterThan(0);
    expect(outcome.latencyMs).toBeLessThan(2000); // at the cancel, not at the 5 s deadline
  });

  it('sends nothing for a run cancelled before the call', async () => {
    let requests = 0;
    const { send } = await setup((request, response) => {
      requests++;
      request.resume();
      response.end(completion);
    });
    const controller = new AbortController();
    controller.abort();
    expect((await send({ signal: controller.signal })).error?.class).toBe('cancelled');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(requests).toBe(0);
  });

  it('answers a stream that finished but whose server keeps the connection open, at the idle deadline', async () => {
    const { send } = await setup((request, response) => {
      request.resume();
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: '{"home":2,"away":2}' }, finish_reason: 'stop' }] })}\n\n`);
      response.write('data: [DONE]\n\n'); // and never ends
    });
    const outcome = await send({ stream: true, idleMs: 100 });
    expect(outcome.ok).toBe(true);
    expect(outcome.content).toBe('{"home":2,"away":2}');
  });

  it('names a refused connection as a network error', async () => {
    const { server, send } = await setup(() => undefined);
    await server.close();
    const outcome = await send();
    expect(outcome.error?.class).toBe('network');
    expect(outcome.error?.message).toContain('ECONNREFUSED');
  });
});
