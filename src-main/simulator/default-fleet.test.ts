import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFleetFile, type FleetFile } from '../../src-shared/domain';
import { resourcesDir } from '../paths';
import { loadProfiles, type RunningSimulator, startSimulator, VARIANT_SENTENCES } from '.';
import { chatBody, matchLine, postChat } from './testing';

const fleetCheck = checkFleetFile(
  JSON.parse(fs.readFileSync(resourcesDir('fleets', 'simulated.json'), 'utf8')),
);
const fleet = (fleetCheck.ok ? fleetCheck.fleet : undefined) as FleetFile;
const profiles = loadProfiles();

describe('the default simulated fleet', () => {
  it('is a valid fleet file with no warnings', () => {
    expect(fleetCheck).toMatchObject({ ok: true, warnings: [] });
  });

  it('has about 42 models on sim-together and sim-synthetic, 3B to 671B and more', () => {
    expect(fleet.models.length).toBe(42);
    expect(new Set(fleet.models.map((model) => model.provider))).toEqual(
      new Set(['sim-together', 'sim-synthetic']),
    );
    expect(fleet.providers.every((provider) => provider.simulated)).toBe(true);
    const families = new Set(fleet.models.map((model) => model.family));
    for (const family of [
      'DeepSeek',
      'Qwen',
      'Llama',
      'Mistral',
      'GLM',
      'Kimi',
      'MiniMax',
      'Cogito',
      'Gemma',
      'Nemotron',
    ]) {
      expect(families).toContain(family);
    }
    const sizes = fleet.models.map((model) => model.parameterSizeB ?? 0);
    expect(Math.min(...sizes)).toBe(3);
    expect(Math.max(...sizes)).toBeGreaterThanOrEqual(671);
    expect(
      fleet.models.filter((model) => model.premium && model.traits.reasoning).length,
    ).toBeGreaterThanOrEqual(3);
  });

  it('gives every model a profile on its own provider, and no profile without a model', () => {
    for (const model of fleet.models) {
      expect(profiles.models[model.providerModelId]?.provider, model.id).toBe(model.provider);
    }
    expect(Object.keys(profiles.models).length).toBe(fleet.models.length);
  });

  describe('a first canary picture', () => {
    let simulator: RunningSimulator;
    beforeAll(async () => {
      simulator = await startSimulator({ seed: 1, latencyScale: 0 });
    });
    afterAll(() => simulator.close());

    async function ask(modelId: string, variants: (keyof typeof VARIANT_SENTENCES)[] = []) {
      const model = fleet.models.find((candidate) => candidate.id === modelId)!;
      const system = [
        'You predict football scores.',
        ...variants.map((variant) => VARIANT_SENTENCES[variant]),
      ].join(' ');
      const user = `Predict the score.\n${matchLine('Arsenal', 88, 'Wolverhampton Wanderers', 62)}`;
      const base = `${simulator.url}/${model.provider}/v1`;
      const response = await postChat(
        base,
        chatBody(model.providerModelId, { system, user, maxTokens: model.config.maxTokens }),
      );
      const body = (await response.json()) as {
        choices?: { message: { content: string }; finish_reason: string }[];
      };
      return {
        status: response.status,
        content: body.choices?.[0]?.message.content ?? '',
        finish: body.choices?.[0]?.finish_reason,
      };
    }

    it('answers clean JSON from most models', async () => {
      const clean = await ask('together/deepseek-v3');
      expect(JSON.parse(clean.content)).toEqual({
        homeScore: expect.any(Number),
        awayScore: expect.any(Number),
      });
    });

    it('has models that a variant fixes: think overflow, Chinese prose, prose only', async () => {
      const overflow = await ask('together/deepseek-r1-distill-llama-70b');
      expect(overflow.finish).toBe('length');
      expect(
        (await ask('together/deepseek-r1-distill-llama-70b', ['THINKING_STRIPPED'])).content,
      ).toMatch(/^\{"homeScore"/);

      expect((await ask('synthetic/glm-4.7')).content).toMatch(/[\u4e00-\u9fff]/);
      expect((await ask('synthetic/glm-4.7', ['ENGLISH_ONLY'])).content).toMatch(/^\{"homeScore"/);

      expect((await ask('together/mistral-7b')).content).not.toContain('{');
      expect((await ask('together/mistral-7b', ['JSON_STRICT'])).content).toMatch(/^\{"homeScore"/);
    });

    it('has hopeless models: a retired alias and one that never answers usefully', async () => {
      expect((await ask('together/nemotron-70b')).status).toBe(404);
      const garbage = await ask('synthetic/llama-3.1-8b', [
        'JSON_STRICT',
        'THINKING_STRIPPED',
        'ENGLISH_ONLY',
      ]);
      expect(garbage.content).not.toMatch(/"awayScore"/);
    });
  });
});
