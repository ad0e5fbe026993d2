import { afterEach, describe, expect, it } from 'vitest';
import { type RunningSimulator, type SimulatorProfilesInput, startSimulator } from '.';
import { chatBody, matchLine, postChat } from './testing';

const PROFILES: SimulatorProfilesInput = {
  version: 1,
  models: {
    good: { provider: 'sim-a' },
    flaky: { provider: 'sim-a', skill: 'fair', faults: [{ kind: '503', rate: 0.4 }] },
    thinker: { provider: 'sim-b', style: 'think-block', reasoning: { tokens: 60, spread: 30 } },
  },
};

const running: RunningSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((simulator) => simulator.close()));
});

async function replay(seed: number | string): Promise<string[]> {
  const simulator = await startSimulator({ profiles: PROFILES, seed, latencyScale: 0 });
  running.push(simulator);
  simulator.injectFault({ kind: '429', rate: 0.2, target: { model: 'good' } });
  const out: string[] = [];
  for (let round = 0; round < 4; round++) {
    for (const model of ['good', 'flaky', 'thinker']) {
      const user = `Predict.\n${matchLine('Chelsea', 80 - round, 'Crystal Palace', 70)}`;
      const response = await postChat(`${simulator.url}/v1`, chatBody(model, { user }));
      const body = (await response.json()) as { choices?: { message: { content: string } }[] };
      out.push(`${model} ${response.status} ${body.choices?.[0]?.message.content ?? ''}`);
    }
  }
  // The same request again gets a fresh draw (per-key counter), still reproducible.
  for (let index = 0; index < 5; index++) {
    const response = await postChat(`${simulator.url}/v1`, chatBody('flaky'));
    out.push(
      `again ${response.status} ${await response.text().then((text) => text.replace(/"created":\d+,/, ''))}`,
    );
  }
  return out;
}

describe('determinism', () => {
  it('gives the same replies and faults for the same seed and request sequence', async () => {
    const first = await replay(42);
    const second = await replay(42);
    expect(second).toEqual(first);
    expect(first.some((line) => / 503 /.test(line))).toBe(true);
    expect(first.some((line) => / 200 /.test(line))).toBe(true);
  });

  it('gives different replies for a different seed', async () => {
    expect(await replay('another seed')).not.toEqual(await replay(42));
  });

  it('varies repeated identical requests instead of echoing one answer', async () => {
    const simulator = await startSimulator({ profiles: PROFILES, seed: 1, latencyScale: 0 });
    running.push(simulator);
    const answers = new Set<string>();
    for (let index = 0; index < 12; index++) {
      const body = (await (await postChat(`${simulator.url}/v1`, chatBody('good'))).json()) as {
        choices: { message: { content: string } }[];
      };
      answers.add(body.choices[0]?.message.content ?? '');
    }
    expect(answers.size).toBeGreaterThan(1);
  });
});
