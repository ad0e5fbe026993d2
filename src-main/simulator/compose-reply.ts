import type { Random } from './random';
import type { PromptMatch } from './read-prompt';
import type { ReplyStyle, Skill } from './profile-schema';

/** A profile after the recognised prompt variants have been applied. */
export interface Personality {
  style: ReplyStyle;
  skill: Skill;
  stuckScore: readonly [number, number];
  reasoningTokens: number;
  reasoningSpread: number;
}

export interface Reply {
  content: string;
  /** Text sent in the separate `reasoning_content` field (reasoning-field style only). */
  reasoning: string;
  finishReason: 'stop' | 'length';
  usage: { prompt_tokens: number; completion_tokens: number; reasoning_tokens?: number };
}

interface Score {
  matchId: string | null;
  home: string;
  away: string;
  homeScore: number;
  awayScore: number;
}

const SKILL_SHAPE: Record<'good' | 'fair' | 'poor', { weight: number; noise: number }> = {
  good: { weight: 1, noise: 0.45 },
  fair: { weight: 0.7, noise: 0.8 },
  poor: { weight: 0.35, noise: 1.2 },
};

function clampGoals(value: number): number {
  return Math.min(7, Math.max(0, Math.round(value)));
}

/** Strength difference on a -1..1 scale; fixtures use 0-100 strengths, 0-1 also works. */
function strengthGap(match: PromptMatch): number {
  const scale =
    Math.max(Math.abs(match.homeStrength), Math.abs(match.awayStrength)) > 1.5 ? 100 : 1;
  return (match.homeStrength - match.awayStrength) / scale;
}

export function predictScore(
  match: PromptMatch,
  skill: Skill,
  stuckScore: readonly [number, number],
  random: Random,
): [number, number] {
  switch (skill) {
    case 'stuck':
      return [stuckScore[0], stuckScore[1]];
    case 'unrealistic':
      return [random.int(6, 12), random.int(5, 10)];
    case 'context-blind': {
      // Blind to the strengths as small models are: a draw whatever the match, so it never backs
      // a clear favourite (what the context_blind check looks for) while its scores stay varied.
      const goals = random.int(0, 2);
      return [goals, goals];
    }
    default: {
      const shape = SKILL_SHAPE[skill];
      const gap = strengthGap(match) * shape.weight;
      const home = 1.45 + 2.6 * gap + shape.noise * random.normal();
      const away = 1.05 - 2.2 * gap + shape.noise * random.normal();
      return [clampGoals(home), clampGoals(away)];
    }
  }
}

const REASONING_SENTENCES = [
  'Let me compare the two sides.',
  'Home advantage is usually worth a little under half a goal.',
  'Wait, I should weigh the strength gap more carefully.',
  'A strong favourite rarely concedes more than one goal here.',
  'Recent form is not given, so the strengths are all I have.',
  'Draws are common when the sides are close.',
  'Let me reconsider the defensive numbers once more.',
  'The stronger attack should create more chances.',
];

function reasoningText(scores: readonly Score[], tokens: number, random: Random): string {
  if (tokens <= 0) return '';
  const parts: string[] = [];
  let length = 0;
  const target = tokens * 4;
  for (const score of scores) {
    const line = `${score.home} against ${score.away}: I lean ${score.homeScore}-${score.awayScore}.`;
    parts.push(line);
    length += line.length + 1;
  }
  while (length < target) {
    const sentence = random.pick(REASONING_SENTENCES);
    parts.push(sentence);
    length += sentence.length + 1;
  }
  return parts.join(' ').slice(0, target);
}

function answerObjects(scores: readonly Score[], style: ReplyStyle): unknown {
  const single = scores.length === 1 && scores[0]?.matchId === null;
  const one = (score: Score): Record<string, unknown> => {
    if (style === 'snake-case') {
      const row: Record<string, unknown> = {};
      if (!single) row.match_id = score.matchId;
      row.home_score = score.homeScore;
      row.away_score = score.awayScore;
      return row;
    }
    const asValue = style === 'numeric-strings' ? String : (value: number) => value;
    const row: Record<string, unknown> = {};
    if (!single) row.matchId = score.matchId;
    row.homeScore = asValue(score.homeScore);
    row.awayScore = asValue(score.awayScore);
    return row;
  };
  if (single) {
    const row = one(scores[0] as Score);
    return style === 'nested' ? { prediction: row } : row;
  }
  const rows = scores.map(one);
  return style === 'nested' ? { predictions: rows } : rows;
}

const GARBAGE_REPLIES = [
  'I am unable to predict the outcome of future sporting events.',
  'The match promises to be exciting, with both teams eager to win!',
  '{{ "result": "home team wins", "score": "TBD" ',
  'Prediction: [object Object]',
];

function formatAnswer(scores: readonly Score[], style: ReplyStyle, random: Random): string {
  switch (style) {
    case 'fenced':
      return `\`\`\`json\n${JSON.stringify(answerObjects(scores, style), null, 2)}\n\`\`\``;
    case 'prose-wrapped':
      return `Looking at the strengths, here is my prediction:\n\n${JSON.stringify(answerObjects(scores, style))}\n\nI hope this helps!`;
    case 'prose-only':
      return scores
        .map(
          (score) => `I expect ${score.home} ${score.homeScore}, ${score.away} ${score.awayScore}.`,
        )
        .join('\n');
    case 'chinese-prose':
      return scores
        .map(
          (score) =>
            `根据两队的实力对比，我预测${score.home}对${score.away}的比分是${score.homeScore}比${score.awayScore}。`,
        )
        .join('\n');
    case 'garbage':
      return random.pick(GARBAGE_REPLIES);
    default:
      return JSON.stringify(answerObjects(scores, style));
  }
}

function tokensOf(text: string): number {
  return Math.ceil(text.length / 4);
}

/**
 * The whole reply of one personality to one prompt: scores, text in the personality's style,
 * reasoning, usage, and truncation at `maxTokens` (finish_reason `length`, as real providers do).
 */
export function composeReply(
  personality: Personality,
  matches: readonly PromptMatch[],
  promptChars: number,
  maxTokens: number | undefined,
  random: Random,
): Reply {
  const asked: readonly PromptMatch[] =
    matches.length > 0
      ? matches
      : [{ matchId: null, home: 'Home', homeStrength: 50, away: 'Away', awayStrength: 50 }];
  const scores: Score[] = asked.map((match) => {
    const [homeScore, awayScore] = predictScore(
      match,
      personality.skill,
      personality.stuckScore,
      random,
    );
    return { matchId: match.matchId, home: match.home, away: match.away, homeScore, awayScore };
  });
  const thinks = personality.style === 'think-block' || personality.style === 'reasoning-field';
  const reasoningTokens = thinks
    ? Math.round(random.around(personality.reasoningTokens, personality.reasoningSpread, 0))
    : 0;
  const thought = reasoningText(scores, reasoningTokens, random);
  const answer = formatAnswer(scores, personality.style, random);

  let content =
    personality.style === 'think-block' && thought !== ''
      ? `<think>\n${thought}\n</think>\n\n${answer}`
      : answer;
  let reasoning = personality.style === 'reasoning-field' ? thought : '';
  let finishReason: Reply['finishReason'] = 'stop';
  let reasoningCount = tokensOf(reasoning);
  let contentCount = Math.max(1, tokensOf(content));
  if (maxTokens !== undefined && reasoningCount + contentCount > maxTokens) {
    finishReason = 'length';
    if (reasoningCount >= maxTokens) {
      reasoning = reasoning.slice(0, maxTokens * 4);
      content = '';
    } else {
      content = content.slice(0, (maxTokens - reasoningCount) * 4);
    }
    reasoningCount = tokensOf(reasoning);
    contentCount = tokensOf(content);
  }
  const usage: Reply['usage'] = {
    prompt_tokens: Math.max(1, Math.ceil(promptChars / 4)),
    completion_tokens: contentCount + reasoningCount,
  };
  if (personality.style === 'reasoning-field') usage.reasoning_tokens = reasoningCount;
  return { content, reasoning, finishReason, usage };
}
