import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '.';
import { chatBody, TEST_PROFILES } from './testing';

/** The raw bytes of one response, read with node:http so nothing is parsed for us. */
function rawPost(
  url: string,
  body: unknown,
): Promise<{ headers: http.IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ headers: response.headers, bytes: Buffer.concat(chunks) }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(JSON.stringify(body));
  });
}

describe('SSE framing', () => {
  let simulator: RunningSimulator;
  beforeAll(async () => {
    simulator = await startSimulator({ profiles: TEST_PROFILES, latencyScale: 0.02 });
  });
  afterAll(() => simulator.close());

  it('sends text/event-stream with `data: <json>\\n\\n` events and a final `data: [DONE]\\n\\n`', async () => {
    const { headers, bytes } = await rawPost(
      `${simulator.url}/v1/chat/completions`,
      chatBody('alpha/thinker', { stream: true, includeUsage: true }),
    );
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    const text = bytes.toString('utf8');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(text).not.toContain('\r');
    const blocks = text.slice(0, -2).split('\n\n');
    for (const block of blocks) expect(block).toMatch(/^data: [^\n]+$/);

    const chunks = blocks.slice(0, -1).map((block) => JSON.parse(block.slice('data: '.length)));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({
        object: 'chat.completion.chunk',
        id: chunks[0].id,
        model: 'alpha/thinker',
      });
    }
    const usageChunk = chunks.at(-1);
    expect(usageChunk.choices).toEqual([]);
    expect(usageChunk.usage.completion_tokens_details.reasoning_tokens).toBeGreaterThan(0);
    const finishChunk = chunks.at(-2);
    expect(finishChunk.choices[0]).toMatchObject({ delta: {}, finish_reason: 'stop' });
    // With include_usage, every other chunk carries `"usage": null`.
    for (const chunk of chunks.slice(0, -1)) expect(chunk.usage).toBeNull();
    const reasoningFirst = chunks.findIndex(
      (chunk) => chunk.choices[0]?.delta.reasoning_content !== undefined,
    );
    const contentFirst = chunks.findIndex(
      (chunk) => (chunk.choices[0]?.delta.content ?? '') !== '',
    );
    expect(reasoningFirst).toBeGreaterThan(0);
    expect(contentFirst).toBeGreaterThan(reasoningFirst);
  });

  it('omits the usage chunk and the usage fields without include_usage', async () => {
    const { bytes } = await rawPost(
      `${simulator.url}/v1/chat/completions`,
      chatBody('alpha/clean-70b', { stream: true }),
    );
    const blocks = bytes.toString('utf8').slice(0, -2).split('\n\n');
    const chunks = blocks.slice(0, -1).map((block) => JSON.parse(block.slice('data: '.length)));
    for (const chunk of chunks) {
      expect(chunk).not.toHaveProperty('usage');
      expect(chunk.choices).toHaveLength(1);
    }
    expect(simulator.requestLog().at(-1)).toMatchObject({
      stream: true,
      usage: null,
      finishReason: 'stop',
    });
  });
});
