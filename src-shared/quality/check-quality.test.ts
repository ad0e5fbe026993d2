import { describe, expect, it } from 'vitest';
import scoreFixtures from '../../resources/tasks/football-score/fixtures.json';
import scoreTask from '../../resources/tasks/football-score/task.json';
import { packOf } from '../../test-support/task-pack';
import type { Fixture, TaskPack } from '../tasks';
import { checkQuality, type QualityOutput } from './check-quality';

const shipped = packOf(scoreTask, scoreFixtures, { components: [{ key: 'base', text: 'b' }] });
// Small hand-made samples: judge stuck from 4 outputs (the shipped task waits for 8).
const task: TaskPack = { ...shipped, quality: { ...shipped.quality, stuckMinOutputs: 4 } };

function fixture(id: string, home: number, away: number): Fixture {
  return {
    id,
    competition: 'Test League',
    kickoff: '2025-08-16T12:00:00Z',
    home: { name: `Home ${id}`, strength: home },
    away: { name: `Away ${id}`, strength: away },
  };
}

const output = (
  fixtureId: string,
  homeScore: number,
  awayScore: number,
  replyText = '',
): QualityOutput => ({
  fixtureId,
  value: { homeScore, awayScore },
  replyText: replyText || JSON.stringify({ homeScore, awayScore }),
});

describe('checkQuality', () => {
  const even = [
    fixture('a', 70, 70),
    fixture('b', 65, 66),
    fixture('c', 60, 62),
    fixture('d', 71, 70),
  ];

  it('finds nothing wrong with varied, realistic, English answers', () => {
    const outputs = [output('a', 1, 1), output('b', 2, 1), output('c', 0, 2), output('d', 3, 1)];
    expect(checkQuality(task, outputs, even)).toEqual([]);
  });

  it('flags a model stuck on one answer for more than half of the fixtures', () => {
    const outputs = [output('a', 1, 0), output('b', 1, 0), output('c', 1, 0), output('d', 2, 2)];
    expect(checkQuality(task, outputs, even)).toEqual([
      {
        kind: 'stuck',
        message: 'answered 1-0 for 3 of 4 fixtures (75%, limit 50%)',
        evidence: { answer: '1-0', count: 3, total: 4, share: 0.75, fixtureIds: ['a', 'b', 'c'] },
      },
    ]);
  });

  it('says nothing about a share below the task minimum of outputs', () => {
    const outputs = [output('a', 2, 1), output('b', 2, 1), output('c', 2, 1), output('d', 1, 1)];
    expect(shipped.quality.stuckMinOutputs).toBe(8);
    expect(checkQuality(shipped, outputs, even)).toEqual([]);
  });

  it('calls one answer to every fixture of a short canary stuck', () => {
    const ids = ['a', 'b', 'c', 'd', 'e'];
    expect(
      checkQuality(
        shipped,
        ids.map((id) => output(id, 1, 0)),
        even,
      ),
    ).toEqual([
      {
        kind: 'stuck',
        message: 'answered 1-0 for 5 of 5 fixtures (100%, limit 50%)',
        evidence: { answer: '1-0', count: 5, total: 5, share: 1, fixtureIds: ids },
      },
    ]);
    // Under the unanimous minimum (4 of the shipped task), even a unanimous answer says nothing.
    expect(
      checkQuality(
        shipped,
        ids.slice(0, 3).map((id) => output(id, 1, 0)),
        even,
      ),
    ).toEqual([]);
  });

  it('does not call exactly half the same answer stuck', () => {
    const outputs = [output('a', 1, 0), output('b', 1, 0), output('c', 2, 1), output('d', 2, 2)];
    expect(checkQuality(task, outputs, even)).toEqual([]);
  });

  it('flags totals above 10 and sides above 8 with the offending fixtures', () => {
    const outputs = [output('a', 6, 5), output('b', 9, 0), output('c', 2, 1), output('d', 0, 0)];
    expect(checkQuality(task, outputs, even)).toEqual([
      {
        kind: 'unrealistic',
        message: '2 scores above 10 goals in total or 8 for one side: a 6-5, b 9-0',
        evidence: {
          maxTotal: 10,
          maxSide: 8,
          outputs: [
            { fixtureId: 'a', answer: '6-5' },
            { fixtureId: 'b', answer: '9-0' },
          ],
        },
      },
    ]);
  });

  it('flags a model that never favours the clear favourite', () => {
    const lopsided = [
      fixture('p', 90, 55),
      fixture('q', 50, 85),
      fixture('r', 88, 60),
      fixture('s', 70, 70),
    ];
    const outputs = [output('p', 1, 1), output('q', 2, 1), output('r', 0, 1), output('s', 2, 0)];
    expect(checkQuality(task, outputs, lopsided)).toEqual([
      {
        kind: 'context_blind',
        message:
          'never predicted the clear favourite (15+ strength points) to win in 3 such fixtures',
        evidence: {
          margin: 15,
          outputs: [
            { fixtureId: 'p', favourite: 'home', favouriteTeam: 'Home p', answer: '1-1' },
            { fixtureId: 'q', favourite: 'away', favouriteTeam: 'Away q', answer: '2-1' },
            { fixtureId: 'r', favourite: 'home', favouriteTeam: 'Home r', answer: '0-1' },
          ],
        },
      },
    ]);
  });

  it('is satisfied when the favourite wins at least once', () => {
    const lopsided = [fixture('p', 90, 55), fixture('q', 50, 85), fixture('r', 88, 60)];
    const outputs = [output('p', 1, 1), output('q', 0, 2), output('r', 0, 1)];
    expect(checkQuality(task, outputs, lopsided)).toEqual([]);
  });

  it('flags CJK text in replies to an English task, quoting it', () => {
    const outputs = [
      output('a', 1, 1, '预测比分：{"homeScore": 1, "awayScore": 1}'),
      output('b', 2, 1),
    ];
    expect(checkQuality(task, outputs, even)).toEqual([
      {
        kind: 'wrong_language',
        message: '1 of 2 replies contain Chinese, Japanese or Korean text in an English task',
        evidence: {
          language: 'en',
          outputs: [{ fixtureId: 'a', excerpt: '预测比分：{"homeScore": 1, "awayScore": 1}' }],
        },
      },
    ]);
  });

  it('splits array answers into one score per fixture by match id', () => {
    const outputs: QualityOutput[] = [
      {
        fixtureId: 'a',
        value: even.map((entry) => ({ matchId: entry.id, homeScore: 1, awayScore: 0 })),
        replyText: '[...]',
      },
    ];
    expect(checkQuality(task, outputs, even).map((warning) => warning.kind)).toEqual(['stuck']);
  });
});
