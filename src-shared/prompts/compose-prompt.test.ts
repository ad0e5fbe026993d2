import { describe, expect, it } from 'vitest';
import scoreFixtures from '../../resources/tasks/football-score/fixtures.json';
import batchTask from '../../resources/tasks/football-batch/task.json';
import scoreTask from '../../resources/tasks/football-score/task.json';
import { packOf as packTask } from '../../test-support/task-pack';
import { type TaskPack, TaskPackSchema } from '../tasks';
import { affectedModels, type PromptUser } from './affected-models';
import { BUILTIN_VARIANTS } from './builtin-variants';
import { composePrompt } from './compose-prompt';
import { resolveVariant } from './prompt-variant';

function packOf(file: object, outputFormat: string): TaskPack {
  return packTask(file, scoreFixtures, {
    components: [
      { key: 'output-format', text: outputFormat },
      { key: 'rules', text: 'Rules.' },
      { key: 'base', text: 'You are a football analyst.' },
    ],
    userTemplate: 'Predict ({{competition}}, {{count}}):\n{{matches}}',
  });
}

const task = packOf(scoreTask, 'Reply with {"homeScore": n, "awayScore": n}.');
const batch = packOf(batchTask, 'Reply with [{"matchId": "...", "homeScore": n, "awayScore": n}].');
const variant = (name: string) => resolveVariant(name, BUILTIN_VARIANTS) ?? BUILTIN_VARIANTS[0]!;
const [first, second] = task.fixtures;

describe('composePrompt', () => {
  it('puts base, rules, output format, variant and the override in order, and fills the template', () => {
    const prompt = composePrompt({
      task,
      variant: variant('JSON_STRICT'),
      override: { modelId: 'qwen2.5-7b', text: 'Use integers.' },
      fixtures: [first!],
      componentVersions: { base: 3 },
    });
    expect(prompt).toEqual({
      system: [
        'You are a football analyst.',
        'Rules.',
        'Reply with {"homeScore": n, "awayScore": n}.',
        variant('JSON_STRICT').text,
        'Use integers.',
      ].join('\n\n'),
      user: 'Predict (Premier League, 1):\nArsenal (strength 88) vs Wolverhampton Wanderers (strength 62)',
      sections: [
        { kind: 'component', name: 'base', version: 3, text: 'You are a football analyst.' },
        { kind: 'component', name: 'rules', version: undefined, text: 'Rules.' },
        {
          kind: 'component',
          name: 'output-format',
          version: undefined,
          text: 'Reply with {"homeScore": n, "awayScore": n}.',
        },
        { kind: 'variant', name: 'JSON_STRICT', version: 1, text: variant('JSON_STRICT').text },
        { kind: 'override', name: 'qwen2.5-7b', version: undefined, text: 'Use integers.' },
      ],
      problems: [],
    });
  });

  it('prefixes each match line with its id for array answers', () => {
    const prompt = composePrompt({
      task: batch,
      variant: variant('BASE'),
      fixtures: [first!, second!],
    });
    expect(prompt.user).toBe(
      'Predict (Premier League, 2):\n[epl-001] Arsenal (strength 88) vs Wolverhampton Wanderers (strength 62)\n[epl-002] Manchester City (strength 90) vs Ipswich Town (strength 55)',
    );
    expect(prompt.problems).toEqual([]);
  });

  it('reports an output format that does not name every field', () => {
    const vague = packOf(scoreTask, 'Reply with the home score and the away score as JSON.');
    expect(
      composePrompt({ task: vague, variant: variant('BASE'), fixtures: [first!] }).problems,
    ).toEqual([
      'output format does not name the field "homeScore"',
      'output format does not name the field "awayScore"',
    ]);
  });

  it('reports a missing required component and a template without the matches', () => {
    const broken = TaskPackSchema.parse({
      ...task,
      components: [{ key: 'base', text: 'x' }],
      userTemplate: 'Predict.',
    });
    expect(
      composePrompt({ task: broken, variant: variant('BASE'), fixtures: [first!] }).problems,
    ).toEqual([
      'missing required section "rules"',
      'missing required section "output-format"',
      'user prompt does not list fixture "epl-001" (does the template use {{matches}}?)',
    ]);
  });
});

describe('built-in variants', () => {
  it('carry the exact sentences the simulator looks for, and BASE carries none', () => {
    const sentences = [
      'Reply with the JSON only.',
      'Do not think out loud.',
      'Answer in English only.',
    ];
    const found = Object.fromEntries(
      BUILTIN_VARIANTS.map((entry) => [
        entry.name,
        sentences.filter((sentence) => entry.text.includes(sentence)),
      ]),
    );
    expect(found).toEqual({
      BASE: [],
      JSON_STRICT: ['Reply with the JSON only.'],
      THINKING_STRIPPED: ['Do not think out loud.'],
      ENGLISH_ONLY: ['Answer in English only.'],
    });
  });

  it('resolve by exact name only, newest operator version last', () => {
    const custom = [
      { name: 'TERSE', version: 1, text: 'v1' },
      { name: 'TERSE', version: 2, text: 'v2' },
    ];
    expect(resolveVariant('TERSE', BUILTIN_VARIANTS, custom)?.text).toBe('v2');
    expect(resolveVariant('JSON', BUILTIN_VARIANTS, custom)).toBeUndefined();
    expect(resolveVariant('TERS', BUILTIN_VARIANTS, custom)).toBeUndefined();
  });
});

describe('affectedModels', () => {
  const users: PromptUser[] = [
    { modelId: 'qwen2.5-7b', taskId: 'football-score', variant: 'JSON_STRICT' },
    { modelId: 'qwen2.5-72b', taskId: 'football-score', variant: 'BASE' },
    { modelId: 'deepseek-r1', taskId: 'football-score', variant: 'THINKING_STRIPPED' },
    { modelId: 'llama-3b', taskId: 'football-batch', variant: 'JSON_STRICT' },
  ];

  it('reports a base component change as affecting every model of the task', () => {
    expect(
      affectedModels({ kind: 'component', taskId: 'football-score', component: 'base' }, users),
    ).toEqual(['deepseek-r1', 'qwen2.5-72b', 'qwen2.5-7b']);
  });

  it('matches variants by exact name and overrides by exact id, never by substring', () => {
    expect(affectedModels({ kind: 'variant', name: 'JSON_STRICT' }, users)).toEqual([
      'llama-3b',
      'qwen2.5-7b',
    ]);
    expect(affectedModels({ kind: 'variant', name: 'JSON' }, users)).toEqual([]);
    expect(affectedModels({ kind: 'override', modelId: 'qwen2.5-7b' }, users)).toEqual([
      'qwen2.5-7b',
    ]);
  });
});
