import { describe, expect, it } from 'vitest';
import batchFixtures from '../../resources/tasks/football-batch/fixtures.json';
import batchTask from '../../resources/tasks/football-batch/task.json';
import scoreFixtures from '../../resources/tasks/football-score/fixtures.json';
import scoreTask from '../../resources/tasks/football-score/task.json';
import { packOf } from '../../test-support/task-pack';
import { parseReply } from './parse-reply';
import { REPLY_CORPUS } from './reply-corpus';

const packs = {
  'football-score': packOf(scoreTask, scoreFixtures),
  'football-batch': packOf(batchTask, batchFixtures),
};
const DEFAULT_BATCH_IDS = ['epl-001', 'epl-002', 'epl-003'];

describe('pathological replies', () => {
  const MB = 1_000_000;
  it.each([
    ['1 MB of [', '['.repeat(MB)],
    ['1 MB of {', '{'.repeat(MB)],
    ['an object nested 200,000 deep', '{"a":'.repeat(200_000)],
    ['a string left open for 1 MB', `{"homeScore": "${'x'.repeat(MB)}`],
    ['1 MB of broken single-quoted JSON', "{'a': 'b', ".repeat(MB / 11)],
  ])('reads %s as a classified failure, never a stack overflow', (_name, content) => {
    const outcome = parseReply(packs['football-score'], { content }, 'auto');
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(['parse_error', 'schema_error']).toContain(outcome.error.class);
    expect(outcome.error.message).not.toMatch(/call stack|parser failed/i);
  });
});

describe('reply corpus', () => {
  it('holds at least 60 reply shapes with unique names', () => {
    expect(REPLY_CORPUS.length).toBeGreaterThanOrEqual(60);
    expect(new Set(REPLY_CORPUS.map((entry) => entry.name)).size).toBe(REPLY_CORPUS.length);
  });

  it.each(REPLY_CORPUS.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
    const task = packs[entry.task];
    const ids =
      entry.task === 'football-batch' ? (entry.fixtureIds ?? DEFAULT_BATCH_IDS) : undefined;
    const fixtures =
      ids && ids.length > 0
        ? task.fixtures.filter((fixture) => ids.includes(fixture.id))
        : undefined;
    const outcome = parseReply(
      task,
      { content: entry.content, reasoning: entry.reasoning },
      entry.handler ?? 'auto',
      { fixtures },
    );
    if (entry.expect.ok) {
      expect({
        ok: outcome.ok,
        value: outcome.ok ? outcome.value : undefined,
        coercions: outcome.ok ? outcome.coercions : undefined,
      }).toEqual({
        ok: true,
        value: entry.expect.value,
        coercions: entry.expect.coercions,
      });
      if (entry.expect.reasoning !== undefined)
        expect(outcome.reasoning).toBe(entry.expect.reasoning);
    } else {
      expect(outcome.ok ? outcome : outcome.error).toEqual({
        class: entry.expect.class,
        message: expect.stringContaining(entry.expect.message),
      });
    }
  });
});

describe('parseReply', () => {
  const task = packs['football-score'];

  it('reports each step it ran, in order, with what it did', () => {
    const outcome = parseReply(
      task,
      { content: '```json\n{"home_score": 2, "awayScore": 1, "x": 1}\n```' },
      'auto',
    );
    expect(outcome.steps).toEqual([
      { step: 'capture-reasoning', outcome: 'unchanged', detail: 'no reasoning tags' },
      { step: 'strip-fences', outcome: 'applied', detail: 'took the json fence' },
      {
        step: 'extract-json',
        outcome: 'applied',
        detail: 'took the last answer-like JSON of 1 span',
      },
      { step: 'repair-json', outcome: 'unchanged', detail: 'already valid JSON' },
      { step: 'coerce', outcome: 'applied', detail: 'rename:home_score->homeScore' },
      { step: 'validate', outcome: 'applied', detail: 'valid; dropped extra fields x' },
    ]);
  });

  it('runs only the steps of a custom handler, in its order', () => {
    const outcome = parseReply(task, { content: '```\n{"homeScore": "1", "awayScore": 0}\n```' }, [
      'strip-fences',
      'coerce',
    ]);
    expect(outcome).toEqual({
      ok: true,
      value: { homeScore: 1, awayScore: 0 },
      coercions: ['fence:stripped', 'number:homeScore'],
      reasoning: undefined,
      steps: [
        { step: 'strip-fences', outcome: 'applied', detail: 'took the untagged fence' },
        { step: 'parse', outcome: 'applied', detail: 'JSON.parse' },
        { step: 'coerce', outcome: 'applied', detail: 'number:homeScore' },
        { step: 'validate', outcome: 'applied', detail: 'valid' },
      ],
    });
  });

  it('keeps API reasoning and captured blocks together, field first', () => {
    const outcome = parseReply(
      task,
      { content: '<think>b</think>{"homeScore":1,"awayScore":0}', reasoning: 'a' },
      'auto',
    );
    expect(outcome.reasoning).toBe('a\n\nb');
  });

  it('rejects malformed input objects without throwing', () => {
    const bad = { content: 42 } as unknown as { content: string };
    expect(parseReply(task, bad, 'auto')).toMatchObject({
      ok: false,
      error: { class: 'empty_response' },
    });
  });
});
