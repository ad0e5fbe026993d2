import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelSchema, ProviderSchema } from '../../../src-shared/domain';
import { BUILTIN_VARIANTS } from '../../../src-shared/prompts';
import { openWorkspace } from '../../services/workspace';
import { PromptRepository } from '../../store';

const root = path.resolve(__dirname, '../../..');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fleetdeck-prompt-'));

beforeAll(() => {
  const workspace = openWorkspace(dataDir);
  try {
    workspace.fleet.upsertProvider(
      ProviderSchema.parse({ id: 'local', baseUrl: 'http://127.0.0.1:9/v1' }),
    );
    const model = (id: string, config: object) =>
      ModelSchema.parse({ id, provider: 'local', providerModelId: id, config });
    workspace.fleet.upsertModel(
      model('qwen2.5-7b-instruct', {
        promptVariant: 'JSON_STRICT',
        promptOverride: 'Never write numbers as words.',
      }),
      'test',
    );
    workspace.fleet.upsertModel(model('qwen2.5-7b', { promptVariant: 'ENGLISH_ONLY' }), 'test');
  } finally {
    workspace.close();
  }
});
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

function show(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const result = spawnSync(
    path.join(root, 'bin', 'fleetdeck'),
    ['--data-dir', dataDir, 'prompt', 'show', ...args],
    {
      encoding: 'utf8',
      cwd: root,
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('fleetdeck prompt show', () => {
  it("prints the composed prompt with the model's variant and override, picked by exact id", () => {
    const result = show(['--model', 'qwen2.5-7b-instruct', '--json']);
    expect(result.code).toBe(0);
    const prompt = JSON.parse(result.stdout);
    expect({ ...prompt, system: undefined, sections: undefined }).toEqual({
      model: 'qwen2.5-7b-instruct',
      task: 'football-score',
      variant: { name: 'JSON_STRICT', version: 1 },
      fixtures: ['epl-001'],
      user: 'Predict the final score of this Premier League match (kick-off 2025-08-16T12:00:00Z):\nArsenal (strength 88) vs Wolverhampton Wanderers (strength 62)',
      problems: [],
    });
    expect(
      prompt.sections.map(
        (section: { kind: string; name: string }) => `${section.kind}:${section.name}`,
      ),
    ).toEqual([
      'component:base',
      'component:rules',
      'component:output-format',
      'variant:JSON_STRICT',
      'override:qwen2.5-7b-instruct',
    ]);
    expect(prompt.system).toContain('Reply with the JSON only.');
    expect(prompt.system).toMatch(/Never write numbers as words\.$/);
  });

  it('does not give a model the override of a model whose id contains its own', () => {
    const result = show(['--model', 'qwen2.5-7b', '--fixture', 'lal-008']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Answer in English only.');
    expect(result.stdout).not.toContain('Never write numbers as words.');
    expect(result.stdout).toContain('Las Palmas (strength 57) vs Barcelona (strength 89)');
  });

  it('exits 2 naming an unknown model or fixture', () => {
    const unknownModel = show(['--model', 'qwen2.5']);
    expect(unknownModel.code).toBe(2);
    expect(unknownModel.stderr).toContain('unknown model "qwen2.5"');
    const unknownFixture = show(['--model', 'qwen2.5-7b', '--fixture', 'nope']);
    expect(unknownFixture.code).toBe(2);
    expect(unknownFixture.stderr).toContain('unknown fixture "nope"');
  });

  it('shows the stored latest version of a variant an operator edited', () => {
    const workspace = openWorkspace(dataDir);
    try {
      const prompts = new PromptRepository(workspace.db);
      prompts.syncBuiltinVariants(BUILTIN_VARIANTS);
      prompts.saveVariant('ENGLISH_ONLY', 'Answer in English only. Use digits for scores.', 'digits');
    } finally {
      workspace.close();
    }
    const prompt = JSON.parse(show(['--model', 'qwen2.5-7b', '--json']).stdout);
    expect(prompt.variant).toEqual({ name: 'ENGLISH_ONLY', version: 2 });
    expect(prompt.system).toContain('Use digits for scores.');
  });
});
