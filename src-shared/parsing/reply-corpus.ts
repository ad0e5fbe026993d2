import type { ResponseHandler } from '../domain/model-config';
import type { ParseErrorClass } from './parse-outcome';

/**
 * Reply shapes real models produce, with what a careful operator would read from each. Sources:
 * reasoning models (DeepSeek R1, QwQ, Kimi thinking: <think> blocks, orphan </think>, a separate
 * reasoning field), Chinese-default models (Qwen, GLM, DeepSeek chat), 3B-7B models (renamed and
 * nested fields, numeric strings, broken syntax, prose) and batch replies. Batch cases answer the
 * fixtures epl-001, epl-002 and epl-003 unless they list others.
 */
export interface CorpusCase {
  name: string;
  task: 'football-score' | 'football-batch';
  content: string;
  reasoning?: string;
  handler?: ResponseHandler;
  fixtureIds?: readonly string[];
  expect:
    | { ok: true; value: unknown; coercions: readonly string[]; reasoning?: string }
    | { ok: false; class: ParseErrorClass; message: string };
}

const score = (homeScore: number, awayScore: number) => ({ homeScore, awayScore });
const item = (matchId: string, homeScore: number, awayScore: number) => ({
  matchId,
  homeScore,
  awayScore,
});
const THREE = [item('epl-001', 2, 0), item('epl-002', 3, 1), item('epl-003', 1, 1)];

const ok = (
  value: unknown,
  coercions: readonly string[] = [],
  reasoning?: string,
): CorpusCase['expect'] =>
  reasoning === undefined
    ? { ok: true, value, coercions }
    : { ok: true, value, coercions, reasoning };
const rejected = (errorClass: ParseErrorClass, message: string): CorpusCase['expect'] => ({
  ok: false,
  class: errorClass,
  message,
});

const single = (
  name: string,
  content: string,
  expect: CorpusCase['expect'],
  extra: Partial<CorpusCase> = {},
): CorpusCase => ({
  name,
  task: 'football-score',
  content,
  expect,
  ...extra,
});
const batch = (
  name: string,
  content: string,
  expect: CorpusCase['expect'],
  extra: Partial<CorpusCase> = {},
): CorpusCase => ({
  name,
  task: 'football-batch',
  content,
  expect,
  ...extra,
});

export const REPLY_CORPUS: readonly CorpusCase[] = [
  // Clean answers
  single('clean JSON object', '{"homeScore": 2, "awayScore": 1}', ok(score(2, 1))),
  single(
    'clean JSON with newlines and indentation',
    '{\n  "homeScore": 0,\n  "awayScore": 0\n}\n',
    ok(score(0, 0)),
  ),
  single('boundary scores 0 and 20', '{"homeScore":20,"awayScore":0}', ok(score(20, 0))),
  single('field order reversed', '{"awayScore": 3, "homeScore": 1}', ok(score(1, 3))),
  single('integer written as 2.0', '{"homeScore": 2.0, "awayScore": 1}', ok(score(2, 1))),
  single('strict handler on a clean reply', '{"homeScore": 1, "awayScore": 2}', ok(score(1, 2)), {
    handler: 'strict',
  }),

  // Reasoning models
  single(
    'think block then JSON (DeepSeek R1)',
    '<think>\nArsenal are much stronger at home. Wolves concede a lot.\n</think>\n\n{"homeScore": 3, "awayScore": 0}',
    ok(score(3, 0), [], 'Arsenal are much stronger at home. Wolves concede a lot.'),
  ),
  single(
    'orphan closing think tag (template opened it)',
    'The home side is rated 88 against 62, so a comfortable win.\n</think>\n{"homeScore": 2, "awayScore": 0}',
    ok(score(2, 0), [], 'The home side is rated 88 against 62, so a comfortable win.'),
  ),
  single(
    'thinking tags with a draft answer inside',
    '<thinking>Maybe {"homeScore": 1, "awayScore": 1}? No, City are far stronger.</thinking>\n{"homeScore": 4, "awayScore": 0}',
    ok(score(4, 0), [], 'Maybe {"homeScore": 1, "awayScore": 1}? No, City are far stronger.'),
  ),
  single(
    'reasoning tags in capitals',
    '<REASONING>Even match.</REASONING>{"homeScore": 1, "awayScore": 1}',
    ok(score(1, 1), [], 'Even match.'),
  ),
  single(
    'separate API reasoning field',
    '{"homeScore": 2, "awayScore": 2}',
    ok(score(2, 2), [], 'Both teams are rated 77-78; a draw is likely.'),
    { reasoning: 'Both teams are rated 77-78; a draw is likely.' },
  ),
  single(
    'think block, then a fenced answer',
    '<think>home advantage</think>\n```json\n{"homeScore": 2, "awayScore": 1}\n```',
    ok(score(2, 1), ['fence:stripped'], 'home advantage'),
  ),
  single(
    'two think blocks around prose (QwQ)',
    '<think>first pass</think>Let me double-check.<think>second pass</think>\nFinal answer: {"homeScore": 1, "awayScore": 0}',
    ok(score(1, 0), ['prose:removed'], 'first pass\n\nsecond pass'),
  ),
  single(
    'answer only inside the think block',
    '<think>I predict {"homeScore": 2, "awayScore": 1}</think>',
    rejected('empty_response', 'never taken from reasoning'),
  ),
  single(
    'answer only inside an orphan-closed reasoning section',
    'My prediction is {"homeScore": 2, "awayScore": 1}</think>\n\n',
    rejected('empty_response', 'never taken from reasoning'),
  ),
  single(
    'reasoning cut off before the answer',
    '<think>Considering the strengths, Liverpool should win comfortably, probably',
    rejected('empty_response', 'never closed'),
  ),
  single(
    'answer only in the API reasoning field, empty content',
    '',
    rejected('empty_response', 'never taken from reasoning'),
    { reasoning: 'The answer is {"homeScore": 2, "awayScore": 0}' },
  ),
  single(
    'prose after reasoning, JSON only inside reasoning',
    '<think>{"homeScore": 1, "awayScore": 0}</think>\nI think the home team wins narrowly.',
    rejected('parse_error', 'only inside reasoning'),
  ),
  single(
    'nested think blocks, answer only inside the outer one',
    '<think>outer <think>inner</think> so {"homeScore": 9, "awayScore": 9}</think>',
    rejected('empty_response', 'never taken from reasoning'),
  ),
  single(
    'nested think blocks, answer after the outer close',
    '<think>outer <think>inner</think> still thinking</think>\n{"homeScore": 2, "awayScore": 1}',
    ok(score(2, 1), [], 'outer <think>inner</think> still thinking'),
  ),
  single(
    "a closing think tag inside a JSON string is the answer's text",
    '{"homeScore": 1, "awayScore": 0, "note": "</think>"}',
    ok(score(1, 0)),
  ),
  single(
    'strict handler refuses a think block',
    '<think>x</think>{"homeScore": 1, "awayScore": 0}',
    rejected('parse_error', 'not valid JSON'),
    { handler: 'strict' },
  ),
  single(
    'custom steps without capture still skip the think block',
    '<think>{"homeScore": 5, "awayScore": 5}</think>\n{"homeScore": 1, "awayScore": 0}',
    ok(score(1, 0)),
    { handler: ['extract-json'] },
  ),

  // Fences and prose
  single(
    'json fence',
    '```json\n{"homeScore": 1, "awayScore": 0}\n```',
    ok(score(1, 0), ['fence:stripped']),
  ),
  single(
    'untagged fence',
    '```\n{"homeScore": 1, "awayScore": 0}\n```',
    ok(score(1, 0), ['fence:stripped']),
  ),
  single(
    'fence on one line',
    '```json {"homeScore": 3, "awayScore": 2} ```',
    ok(score(3, 2), ['fence:stripped']),
  ),
  single(
    'prose then fence then prose',
    'Here is my prediction:\n\n```json\n{"homeScore": 2, "awayScore": 1}\n```\n\nArsenal should edge it.',
    ok(score(2, 1), ['fence:stripped', 'prose:removed']),
  ),
  single(
    'fence never closed (cut off)',
    '```json\n{"homeScore": 2, "awayScore": 1}',
    ok(score(2, 1), ['fence:stripped']),
  ),
  single(
    'JSON after a sentence',
    'Based on the strength ratings, my prediction is {"homeScore": 2, "awayScore": 0}.',
    ok(score(2, 0), ['prose:removed']),
  ),
  single(
    'braces inside a string value do not end the object',
    'Prediction: {"homeScore": 1, "awayScore": 1, "note": "tight game } both sides {"}',
    ok(score(1, 1), ['prose:removed']),
  ),
  single(
    'stray bracket in prose before the answer',
    'Note [1]: ratings from the prompt. {"homeScore": 2, "awayScore": 2}',
    ok(score(2, 2), ['prose:removed']),
  ),
  single(
    'model revises itself and concludes last',
    'First guess {"homeScore": 1, "awayScore": 1}, but on reflection: {"homeScore": 2, "awayScore": 1}',
    ok(score(2, 1), ['answer:last-of-several', 'prose:removed']),
  ),
  single(
    'markdown bold and a label',
    '**Prediction**\n\n{"homeScore": 0, "awayScore": 2}',
    ok(score(0, 2), ['prose:removed']),
  ),

  // Chinese-default models
  single(
    'Chinese preamble before JSON (Qwen)',
    '根据两队的实力评分，主队更强。\n{"homeScore": 2, "awayScore": 0}',
    ok(score(2, 0), ['prose:removed']),
  ),
  single(
    'Chinese explanation in a fence reply (GLM)',
    '预测结果如下：\n```json\n{"homeScore": 1, "awayScore": 1}\n```\n两队实力接近。',
    ok(score(1, 1), ['fence:stripped', 'prose:removed']),
  ),
  single(
    'Chinese reasoning in think block',
    '<think>主队实力评分88，客队62。</think>{"homeScore": 3, "awayScore": 1}',
    ok(score(3, 1), [], '主队实力评分88，客队62。'),
  ),
  single(
    'Chinese keys are not an answer',
    '{"主队": 2, "客队": 1}',
    rejected('schema_error', 'homeScore: required field is missing'),
  ),
  single(
    'full-width colon and Chinese label with numeric strings',
    '比分：{"homeScore": "1", "awayScore": "0"}',
    ok(score(1, 0), ['prose:removed', 'number:homeScore', 'number:awayScore']),
  ),

  // Small models: renamed, nested and stringly typed fields
  single(
    'snake_case fields',
    '{"home_score": 2, "away_score": 1}',
    ok(score(2, 1), ['rename:home_score->homeScore', 'rename:away_score->awayScore']),
  ),
  single(
    'homeGoals / awayGoals',
    '{"homeGoals": 1, "awayGoals": 3}',
    ok(score(1, 3), ['rename:homeGoals->homeScore', 'rename:awayGoals->awayScore']),
  ),
  single(
    'home / away',
    '{"home": 0, "away": 1}',
    ok(score(0, 1), ['rename:home->homeScore', 'rename:away->awayScore']),
  ),
  single(
    'PascalCase fields',
    '{"HomeScore": 2, "AwayScore": 0}',
    ok(score(2, 0), ['rename:HomeScore->homeScore', 'rename:AwayScore->awayScore']),
  ),
  single(
    'nested under prediction',
    '{"prediction": {"homeScore": 2, "awayScore": 1}}',
    ok(score(2, 1), ['unwrap:prediction']),
  ),
  single(
    'nested under scores with home / away',
    '{"scores": {"home": 1, "away": 1}}',
    ok(score(1, 1), ['unwrap:scores', 'rename:home->homeScore', 'rename:away->awayScore']),
  ),
  single(
    'team names beside nested scores',
    '{"home": "Arsenal", "away": "Chelsea", "prediction": {"home": 2, "away": 1}}',
    ok(score(2, 1), ['unwrap:prediction', 'rename:home->homeScore', 'rename:away->awayScore']),
  ),
  single(
    'numeric strings',
    '{"homeScore": "2", "awayScore": "1"}',
    ok(score(2, 1), ['number:homeScore', 'number:awayScore']),
  ),
  single(
    'extra fields dropped',
    '{"homeScore": 1, "awayScore": 0, "confidence": "high", "reasoning": "home form"}',
    ok(score(1, 0)),
  ),
  single(
    'single answer wrapped in an array',
    '[{"homeScore": 1, "awayScore": 2}]',
    ok(score(1, 2), ['unwrap:array']),
  ),
  single(
    'snake_case numeric strings in a fence with prose (Llama 3B)',
    'Sure! Here is the JSON:\n```json\n{"home_score": "3", "away_score": "1"}\n```',
    ok(score(3, 1), [
      'fence:stripped',
      'prose:removed',
      'rename:home_score->homeScore',
      'number:homeScore',
      'rename:away_score->awayScore',
      'number:awayScore',
    ]),
  ),
  single(
    'strict handler does not coerce',
    '{"home_score": 2, "away_score": 1}',
    rejected('schema_error', 'homeScore: required field is missing'),
    { handler: 'strict' },
  ),

  // Syntax slips
  single(
    'trailing comma',
    '{"homeScore": 2, "awayScore": 1,}',
    ok(score(2, 1), ['repair:trailing-comma']),
  ),
  single(
    'single quotes',
    "{'homeScore': 2, 'awayScore': 1}",
    ok(score(2, 1), ['repair:single-quotes']),
  ),
  single(
    'line comment',
    '{\n  "homeScore": 2, // home advantage\n  "awayScore": 1\n}',
    ok(score(2, 1), ['repair:comments']),
  ),
  single(
    'unquoted keys',
    '{homeScore: 1, awayScore: 1}',
    ok(score(1, 1), ['repair:unquoted-keys']),
  ),
  single(
    'truncated closing brace',
    '{"homeScore": 2, "awayScore": 1',
    ok(score(2, 1), ['repair:truncated']),
  ),

  // Rejections
  single('empty reply', '', rejected('empty_response', 'the reply is empty')),
  single('whitespace-only reply', '  \n\t ', rejected('empty_response', 'the reply is empty')),
  single(
    'refusal',
    "I'm sorry, but I can't predict the outcome of sporting events.",
    rejected('parse_error', 'no JSON object or array'),
  ),
  single(
    'score as text, no JSON',
    'Arsenal 2-1 Chelsea',
    rejected('parse_error', 'no JSON object or array'),
  ),
  single(
    'non-integer score',
    '{"homeScore": 1.5, "awayScore": 1}',
    rejected('schema_error', 'homeScore: expected an integer from 0 to 20, got 1.5'),
  ),
  single(
    'negative score',
    '{"homeScore": -1, "awayScore": 2}',
    rejected('schema_error', 'homeScore: expected an integer from 0 to 20, got -1'),
  ),
  single(
    'score above 20',
    '{"homeScore": 21, "awayScore": 0}',
    rejected('schema_error', 'homeScore: expected an integer from 0 to 20, got 21'),
  ),
  single(
    'number in words',
    '{"homeScore": "two", "awayScore": "one"}',
    rejected('schema_error', 'homeScore: expected an integer from 0 to 20, got "two"'),
  ),
  single(
    'null score',
    '{"homeScore": null, "awayScore": 1}',
    rejected('schema_error', 'homeScore: expected an integer from 0 to 20, got null'),
  ),
  single(
    'missing field',
    '{"homeScore": 2}',
    rejected('schema_error', 'awayScore: required field is missing'),
  ),
  single('JSON null', 'null', rejected('parse_error', 'no JSON object or array')),
  single('empty object', '{}', rejected('schema_error', 'homeScore: required field is missing')),
  single(
    'score as a string "2-1"',
    '{"score": "2-1"}',
    rejected('schema_error', 'homeScore: required field is missing'),
  ),
  single(
    'missing comma and colon, stray brackets',
    '{"homeScore": 2 "awayScore" 1 ]]]',
    ok(score(2, 1), ['repair:syntax']),
  ),
  single(
    'broken value that repair cannot make a score',
    '{"homeScore": [}',
    rejected('schema_error', 'homeScore: expected an integer from 0 to 20, got an array of 0'),
  ),

  // Batch replies
  batch('clean batch array', JSON.stringify(THREE), ok(THREE)),
  batch(
    'batch in a fence with prose',
    `Here are my predictions:\n\`\`\`json\n${JSON.stringify(THREE, null, 2)}\n\`\`\``,
    ok(THREE, ['fence:stripped', 'prose:removed']),
  ),
  batch(
    'batch under a predictions key',
    JSON.stringify({ predictions: THREE }),
    ok(THREE, ['unwrap:predictions']),
  ),
  batch(
    'batch with match_id and snake_case scores',
    '[{"match_id": "epl-001", "home_score": 2, "away_score": 0}, {"match_id": "epl-002", "home_score": 3, "away_score": 1}, {"match_id": "epl-003", "home_score": 1, "away_score": 1}]',
    ok(THREE, [
      'rename:match_id->matchId',
      'rename:home_score->homeScore',
      'rename:away_score->awayScore',
    ]),
  ),
  batch(
    'batch with id and home / away',
    '[{"id": "epl-001", "home": 2, "away": 0}, {"id": "epl-002", "home": 3, "away": 1}, {"id": "epl-003", "home": 1, "away": 1}]',
    ok(THREE, ['rename:id->matchId', 'rename:home->homeScore', 'rename:away->awayScore']),
  ),
  batch(
    'batch in a different order is put in fixture order',
    JSON.stringify([THREE[2], THREE[0], THREE[1]]),
    ok(THREE),
  ),
  batch(
    'batch as separate objects, one per line',
    THREE.map((entry) => JSON.stringify(entry)).join('\n'),
    ok(THREE, ['collect:objects']),
  ),
  batch(
    'batch keyed by match id',
    '{"epl-001": {"homeScore": 2, "awayScore": 0}, "epl-002": {"homeScore": 3, "awayScore": 1}, "epl-003": {"homeScore": 1, "awayScore": 1}}',
    ok(THREE, ['collect:keyed-object']),
  ),
  batch(
    'batch with upper-case ids and numeric strings',
    '[{"matchId": "EPL-001", "homeScore": "2", "awayScore": "0"}, {"matchId": "epl-002", "homeScore": 3, "awayScore": 1}, {"matchId": "epl-003", "homeScore": 1, "awayScore": 1}]',
    ok(THREE, ['number:homeScore', 'number:awayScore', 'match-id:EPL-001->epl-001']),
  ),
  batch(
    'batch after a think block with a trailing comma',
    `<think>three matches</think>\n[{"matchId": "epl-001", "homeScore": 2, "awayScore": 0}, {"matchId": "epl-002", "homeScore": 3, "awayScore": 1}, {"matchId": "epl-003", "homeScore": 1, "awayScore": 1},]`,
    ok(THREE, ['repair:trailing-comma'], 'three matches'),
  ),
  batch(
    'batch with numeric match ids',
    '[{"matchId": 101, "homeScore": 1, "awayScore": 0}, {"matchId": 102, "homeScore": 0, "awayScore": 0}]',
    ok([item('101', 1, 0), item('102', 0, 0)], ['string:matchId']),
    { fixtureIds: [] },
  ),
  batch(
    'batch missing a match',
    JSON.stringify(THREE.slice(0, 2)),
    rejected('schema_error', 'no answer for 1 of 3 matches: epl-003'),
  ),
  batch(
    'batch with an unknown match id',
    JSON.stringify([THREE[0], THREE[1], item('epl-999', 1, 1)]),
    rejected('schema_error', '"epl-999" is not a match in this call'),
  ),
  batch(
    'batch answering one match twice',
    JSON.stringify([THREE[0], THREE[0], THREE[1], THREE[2]]),
    rejected('schema_error', 'was already answered'),
  ),
  batch(
    'batch item without an id',
    '[{"homeScore": 2, "awayScore": 0}, {"matchId": "epl-002", "homeScore": 3, "awayScore": 1}]',
    rejected('schema_error', '[0].matchId: required field is missing'),
  ),
  batch(
    'batch item above 20',
    JSON.stringify([THREE[0], item('epl-002', 25, 1), THREE[2]]),
    rejected('schema_error', '[1].homeScore: expected an integer from 0 to 20, got 25'),
  ),
  batch('batch empty array', '[]', rejected('schema_error', 'expected at least one answer')),
  batch(
    'batch refusal',
    'I cannot make predictions about these matches.',
    rejected('parse_error', 'no JSON object or array'),
  ),
];
