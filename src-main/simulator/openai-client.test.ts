import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSimulator, startSimulator } from '.';
import { matchLine, TEST_PROFILES } from './testing';

describe('the official openai client against the simulator', () => {
  let simulator: RunningSimulator;
  let client: OpenAI;
  const messages = [
    { role: 'system' as const, content: 'You predict football scores.' },
    { role: 'user' as const, content: `Predict.\n${matchLine('Arsenal', 88, 'Ipswich Town', 55)}` },
  ];

  beforeAll(async () => {
    simulator = await startSimulator({ profiles: TEST_PROFILES, key: 'sk-test', latencyScale: 0 });
    client = new OpenAI({ baseURL: `${simulator.url}/sim-a/v1`, apiKey: 'sk-test', maxRetries: 0 });
  });
  afterAll(() => simulator.close());

  it('answers a non-streaming completion with content and usage', async () => {
    const completion = await client.chat.completions.create({ model: 'alpha/clean-70b', messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    const answer = JSON.parse(completion.choices[0]?.message.content ?? '');
    expect(answer).toEqual({ homeScore: expect.any(Number), awayScore: expect.any(Number) });
    expect(completion.usage?.prompt_tokens).toBeGreaterThan(0);
    expect(completion.usage?.total_tokens).toBe(
      (completion.usage?.prompt_tokens ?? 0) + (completion.usage?.completion_tokens ?? 0),
    );
  });

  it('streams content deltas, a finish reason and a final usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'alpha/clean-70b',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let content = '';
    let finishReason: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      content += chunk.choices[0]?.delta.content ?? '';
      finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(JSON.parse(content)).toEqual({
      homeScore: expect.any(Number),
      awayScore: expect.any(Number),
    });
    expect(finishReason).toBe('stop');
    expect(usage?.completion_tokens).toBe(Math.ceil(content.length / 4));
    const logged = simulator.requestLog().at(-1);
    expect(logged).toMatchObject({
      provider: 'sim-a',
      model: 'alpha/clean-70b',
      stream: true,
      status: 200,
      outcome: 'ok',
    });
    expect(logged?.usage).toEqual({
      prompt_tokens: usage?.prompt_tokens,
      completion_tokens: usage?.completion_tokens,
    });
  });

  it('streams reasoning_content deltas and reports reasoning tokens', async () => {
    const stream = await client.chat.completions.create({
      model: 'alpha/thinker',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    let reasoning = '';
    let usage: OpenAI.CompletionUsage | undefined;
    for await (const chunk of stream) {
      const delta = chunk.choices[0]?.delta as { reasoning_content?: string } | undefined;
      reasoning += delta?.reasoning_content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(reasoning.length).toBeGreaterThan(50);
    expect(usage?.completion_tokens_details?.reasoning_tokens).toBe(
      Math.ceil(reasoning.length / 4),
    );
  });

  it("lists only the provider's models under its base URL, and every model at /v1", async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids.sort()).toEqual(['alpha/clean-70b', 'alpha/thinker']);

    const all = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: 'sk-test', maxRetries: 0 });
    const allIds = [];
    for await (const model of all.models.list()) allIds.push(model.id);
    expect(allIds.sort()).toEqual(['alpha/clean-70b', 'alpha/thinker', 'beta/clean-8b']);
  });

  it("answers 404 model_not_found for another provider's model under a provider base URL", async () => {
    const error = await client.chat.completions
      .create({ model: 'beta/clean-8b', messages })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect((error as InstanceType<typeof OpenAI.NotFoundError>).code).toBe('model_not_found');
  });

  it('refuses a missing or wrong key with 401', async () => {
    const wrong = new OpenAI({ baseURL: `${simulator.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const bare = await fetch(`${simulator.url}/v1/models`);
    expect(bare.status).toBe(401);
    const control = await fetch(`${simulator.url}/_control/faults`);
    expect(control.status).toBe(401);

    simulator.resetLog();
    const refused = new OpenAI({
      baseURL: `${simulator.url}/sim-a/v1`,
      apiKey: 'sk-wrong',
      maxRetries: 0,
    });
    await expect(
      refused.chat.completions.create({ model: 'alpha/clean-70b', messages }),
    ).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    expect(simulator.requestLog()).toMatchObject([
      { provider: 'sim-a', model: 'alpha/clean-70b', status: 401, outcome: '401', usage: null },
    ]);
  });
});
