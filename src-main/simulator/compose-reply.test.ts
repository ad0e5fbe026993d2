import { describe, expect, it } from 'vitest';
import { composeReply, type Personality, predictScore } from './compose-reply';
import { Random } from './random';
import { readPrompt } from './read-prompt';
import { matchLine } from './testing';

const personality = (overrides: Partial<Personality> = {}): Personality => ({
  style: 'clean',
  skill: 'good',
  stuckScore: [1, 0],
  reasoningTokens: 0,
  reasoningSpread: 0,
  ...overrides,
});
const strong = { matchId: null, home: 'Strong', homeStrength: 92, away: 'Weak', awayStrength: 50 };
const weak = { matchId: null, home: 'Weak', homeStrength: 50, away: 'Strong', awayStrength: 92 };

function meanGoalDifference(skill: Personality['skill'], match: typeof strong): number {
  const random = new Random(9);
  let total = 0;
  for (let index = 0; index < 400; index++) {
    const [home, away] = predictScore(match, skill, [1, 0], random);
    total += home - away;
  }
  return total / 400;
}

describe('predictScore', () => {
  it('makes a good model track the strength difference', () => {
    expect(meanGoalDifference('good', strong)).toBeGreaterThan(1.2);
    expect(meanGoalDifference('good', weak)).toBeLessThan(-0.5);
  });

  it('makes a context-blind model ignore it', () => {
    expect(
      Math.abs(
        meanGoalDifference('context-blind', strong) - meanGoalDifference('context-blind', weak),
      ),
    ).toBeLessThan(0.4);
  });

  it('keeps a stuck model on one answer and an unrealistic one at 9-7 style scores', () => {
    const random = new Random(1);
    expect(predictScore(strong, 'stuck', [2, 2], random)).toEqual([2, 2]);
    const [home, away] = predictScore(strong, 'unrealistic', [1, 0], random);
    expect(home + away).toBeGreaterThanOrEqual(11);
  });
});

describe('composeReply', () => {
  const matches = [
    { ...strong, matchId: 'm1' },
    { ...weak, matchId: 'm2' },
  ];

  it.each([
    ['clean', /^\[\{"matchId":"m1","homeScore":\d,"awayScore":\d\},/],
    ['snake-case', /^\[\{"match_id":"m1","home_score":\d,"away_score":\d\}/],
    ['numeric-strings', /^\[\{"matchId":"m1","homeScore":"\d","awayScore":"\d"\}/],
    ['nested', /^\{"predictions":\[\{"matchId":"m1"/],
    ['fenced', /^```json\n\[\n {2}\{/],
    ['prose-wrapped', /^Looking at .*\n\n\[\{"matchId".*\n\nI hope this helps!$/s],
  ] as const)('writes a batch answer in the %s style', (style, pattern) => {
    const reply = composeReply(personality({ style }), matches, 100, undefined, new Random(1));
    expect(reply.content).toMatch(pattern);
  });

  it('counts prompt tokens as characters / 4 and completion tokens as the reply / 4', () => {
    const reply = composeReply(personality(), [strong], 401, undefined, new Random(1));
    expect(reply.usage).toEqual({
      prompt_tokens: 101,
      completion_tokens: Math.ceil(reply.content.length / 4),
    });
  });

  it('truncates at max_tokens with finish_reason length', () => {
    const reply = composeReply(
      personality({ style: 'think-block', reasoningTokens: 300 }),
      [strong],
      100,
      64,
      new Random(1),
    );
    expect(reply).toMatchObject({ finishReason: 'length', usage: { completion_tokens: 64 } });
    expect(reply.content.startsWith('<think>')).toBe(true);
    expect(reply.content).not.toContain('</think>');
  });

  it('puts reasoning in its own field and reports reasoning tokens', () => {
    const reply = composeReply(
      personality({ style: 'reasoning-field', reasoningTokens: 50 }),
      [strong],
      100,
      undefined,
      new Random(1),
    );
    expect(reply.usage.reasoning_tokens).toBe(50);
    expect(reply.usage.completion_tokens).toBe(50 + Math.ceil(reply.content.length / 4));
    expect(JSON.parse(reply.content)).toEqual({
      homeScore: expect.any(Number),
      awayScore: expect.any(Number),
    });
  });
});

describe('readPrompt', () => {
  it('reads match lines, batch ids and variant sentences', () => {
    const prompt = readPrompt([
      { role: 'system', content: 'Predict. Reply with the JSON only. Answer in English only.' },
      {
        role: 'user',
        content: `Matches:\n${matchLine('A B', 80, 'C', 61.5, 'x-1')}\n${matchLine('D', 0.4, 'E', 0.6, 'x-2')}`,
      },
    ]);
    expect(prompt.matches).toEqual([
      { matchId: 'x-1', home: 'A B', homeStrength: 80, away: 'C', awayStrength: 61.5 },
      { matchId: 'x-2', home: 'D', homeStrength: 0.4, away: 'E', awayStrength: 0.6 },
    ]);
    expect(prompt.variantMask).toBe(0b101);
  });
});
