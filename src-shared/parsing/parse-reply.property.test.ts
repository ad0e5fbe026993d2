import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import batchFixtures from '../../resources/tasks/football-batch/fixtures.json';
import batchTask from '../../resources/tasks/football-batch/task.json';
import scoreFixtures from '../../resources/tasks/football-score/fixtures.json';
import scoreTask from '../../resources/tasks/football-score/task.json';
import { packOf } from '../../test-support/task-pack';
import { parseReply } from './parse-reply';

const scorePack = packOf(scoreTask, scoreFixtures);
const batchPack = packOf(batchTask, batchFixtures);

const NAMINGS: readonly [string, string][] = [
  ['homeScore', 'awayScore'],
  ['home_score', 'away_score'],
  ['homeGoals', 'awayGoals'],
  ['home', 'away'],
  ['HomeScore', 'AwayScore'],
  ['home_goals', 'away_goals'],
];
const NESTINGS = ['', 'prediction', 'scores', 'result'] as const;
const SURROUNDINGS: readonly ((json: string) => string)[] = [
  (json) => json,
  (json) => `\`\`\`json\n${json}\n\`\`\``,
  (json) => `<think>Weighing strengths {"homeScore": 9, "awayScore": 9}</think>\n${json}`,
  (json) => `Reasoning about form.</think>\n\n${json}`,
  (json) => `Here is my prediction: ${json}\nGood luck!`,
  (json) => `预测如下：\n${json}`,
  (json) => `<thinking>hmm</thinking>\`\`\`\n${json}\n\`\`\`\nThat is my answer.`,
];

function render(
  fields: Record<string, number | string>,
  options: { quotes: 'double' | 'single'; trailingComma: boolean },
): string {
  const quote = options.quotes === 'double' ? '"' : "'";
  const body = Object.entries(fields)
    .map(
      ([key, value]) =>
        `${quote}${key}${quote}: ${typeof value === 'string' ? `${quote}${value}${quote}` : value}`,
    )
    .join(', ');
  return `{${body}${options.trailingComma ? ',' : ''}}`;
}

const variantArbitrary = fc.record({
  naming: fc.constantFrom(...NAMINGS),
  nesting: fc.constantFrom(...NESTINGS),
  surrounding: fc.constantFrom(...SURROUNDINGS),
  numericStrings: fc.boolean(),
  quotes: fc.constantFrom('double' as const, 'single' as const),
  trailingComma: fc.boolean(),
});

describe('parseReply properties', () => {
  it('reads a valid answer written in any supported variant back to the same value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 0, max: 20 }),
        variantArbitrary,
        (home, away, variant) => {
          const [homeKey, awayKey] = variant.naming;
          const value = (n: number) => (variant.numericStrings ? String(n) : n);
          const inner = render({ [homeKey]: value(home), [awayKey]: value(away) }, variant);
          const json = variant.nesting === '' ? inner : `{"${variant.nesting}": ${inner}}`;
          const outcome = parseReply(scorePack, { content: variant.surrounding(json) }, 'auto');
          expect(outcome.ok ? outcome.value : outcome).toEqual({
            homeScore: home,
            awayScore: away,
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('reads a valid batch answer in any supported variant back to the same items', () => {
    const fixtures = batchPack.fixtures.slice(0, 4);
    const scoresArbitrary = fc.array(
      fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 })),
      {
        minLength: 4,
        maxLength: 4,
      },
    );
    fc.assert(
      fc.property(
        scoresArbitrary,
        variantArbitrary,
        fc.constantFrom('matchId', 'match_id', 'id'),
        fc.constantFrom('array', 'wrapped', 'lines'),
        (scores, variant, idKey, container) => {
          const [homeKey, awayKey] = variant.naming;
          const value = (n: number) => (variant.numericStrings ? String(n) : n);
          // Separate objects are collected only when each parses on its own: no syntax slips there.
          const syntax =
            container === 'lines' ? { quotes: 'double' as const, trailingComma: false } : variant;
          const items = scores.map(([home, away], index) =>
            render(
              {
                [idKey]: (fixtures[index] as { id: string }).id,
                [homeKey]: value(home),
                [awayKey]: value(away),
              },
              syntax,
            ),
          );
          const json =
            container === 'array'
              ? `[${items.join(', ')}]`
              : container === 'wrapped'
                ? `{"predictions": [${items.join(', ')}]}`
                : items.join('\n');
          const outcome = parseReply(batchPack, { content: variant.surrounding(json) }, 'auto', {
            fixtures,
          });
          const expected = scores.map(([homeScore, awayScore], index) => ({
            matchId: (fixtures[index] as { id: string }).id,
            homeScore,
            awayScore,
          }));
          expect(outcome.ok ? outcome.value : outcome).toEqual(expected);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws on 10,000 random strings, and always classifies a rejection', () => {
    const jsonish = fc
      .array(
        fc.oneof(
          fc.constantFrom(
            '{',
            '}',
            '[',
            ']',
            '"',
            "'",
            ':',
            ',',
            '\\',
            '```',
            '<think>',
            '</think>',
            '<reasoning>',
            'null',
            '\n',
          ),
          fc.constantFrom(
            '"homeScore"',
            '"away_score"',
            'home',
            '"2"',
            '21',
            '-1',
            '1.5',
            '"matchId"',
            'prediction',
          ),
          fc.string({ maxLength: 8 }),
          fc.string({ unit: 'grapheme', maxLength: 6 }),
        ),
        { maxLength: 40 },
      )
      .map((parts) => parts.join(''));
    const handlers = fc.constantFrom<Parameters<typeof parseReply>[2]>(
      'auto',
      'strict',
      ['coerce', 'extract-json'],
      ['repair-json', 'strip-fences'],
      ['capture-reasoning', 'coerce'],
    );
    const classes = new Set(['empty_response', 'parse_error', 'schema_error']);
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 200 }), jsonish),
        fc.option(fc.string({ maxLength: 40 }), { nil: undefined }),
        handlers,
        fc.boolean(),
        (content, reasoning, handler, useBatch) => {
          const task = useBatch ? batchPack : scorePack;
          const outcome = parseReply(task, { content, reasoning }, handler, {
            fixtures: task.fixtures.slice(0, 3),
          });
          if (!outcome.ok) expect(classes.has(outcome.error.class)).toBe(true);
          else expect(outcome.value).toBeDefined();
        },
      ),
      { numRuns: 10_000 },
    );
  });
});
