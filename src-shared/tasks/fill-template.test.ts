import { describe, expect, it } from 'vitest';
import { clearFavourite } from './clear-favourite';
import {
  fillTemplate,
  groupFixtures,
  templatePlaceholders,
  unknownPlaceholders,
} from './fill-template';
import type { Fixture } from './task-pack';

const fixture = (id: string, home: number, away: number): Fixture => ({
  id,
  competition: 'Serie A',
  kickoff: '2025-08-24T19:00:00Z',
  home: { name: `H${id}`, strength: home },
  away: { name: `A${id}`, strength: away },
});

describe('fillTemplate', () => {
  it('writes one contract line per match, with ids for array answers', () => {
    const object = {
      userTemplate: '{{competition}} at {{kickoff}}:\n{{matches}}',
      output: { shape: 'object' as const, fields: [] },
    };
    expect(fillTemplate(object, [fixture('x', 80, 60)])).toBe(
      'Serie A at 2025-08-24T19:00:00Z:\nHx (strength 80) vs Ax (strength 60)',
    );
    const array = {
      userTemplate: '{{count}}:\n{{matches}}',
      output: { shape: 'array' as const, fields: [] },
    };
    expect(fillTemplate(array, [fixture('x', 80, 60), fixture('y', 1, 2)])).toBe(
      '2:\n[x] Hx (strength 80) vs Ax (strength 60)\n[y] Hy (strength 1) vs Ay (strength 2)',
    );
  });

  it('lists placeholders and the unknown ones', () => {
    expect(templatePlaceholders('{{matches}} {{ venue }} {{matches}}')).toEqual([
      'matches',
      'venue',
    ]);
    expect(unknownPlaceholders('{{matches}} {{venue}}')).toEqual(['venue']);
  });

  it('groups fixtures by batch size for array answers and one by one otherwise', () => {
    const fixtures = ['a', 'b', 'c'].map((id) => fixture(id, 50, 50));
    const ids = (groups: Fixture[][]) => groups.map((group) => group.map((entry) => entry.id));
    expect(
      ids(groupFixtures({ output: { shape: 'array', fields: [] }, batchSize: 2 }, fixtures)),
    ).toEqual([['a', 'b'], ['c']]);
    expect(ids(groupFixtures({ output: { shape: 'object', fields: [] } }, fixtures))).toEqual([
      ['a'],
      ['b'],
      ['c'],
    ]);
  });
});

describe('clearFavourite', () => {
  it('names the stronger side only when the gap reaches the margin', () => {
    expect([
      clearFavourite(fixture('a', 85, 70), 15),
      clearFavourite(fixture('b', 55, 89), 15),
      clearFavourite(fixture('c', 84, 70), 15),
    ]).toEqual(['home', 'away', undefined]);
  });
});
