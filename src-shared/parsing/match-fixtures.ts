import type { Fixture } from '../tasks';

type Item = Record<string, unknown>;

/**
 * Matches the items of an array answer to the call's fixtures by id: exactly, else ignoring case
 * and surrounding spaces (recorded). Every fixture needs exactly one item; the result follows
 * fixture order. Without fixtures, only duplicate ids are refused.
 */
export function matchFixtures(
  items: readonly Item[],
  idField: string,
  fixtures: readonly Fixture[] | undefined,
): { ok: true; items: Item[]; coercions: string[] } | { ok: false; message: string } {
  const coercions: string[] = [];
  const seen = new Map<string, number>();
  const byId = new Map<string, Item>();
  const exact = new Set(fixtures?.map((fixture) => fixture.id));
  const loose = new Map(fixtures?.map((fixture) => [fixture.id.trim().toLowerCase(), fixture.id]));
  for (const [index, item] of items.entries()) {
    const raw = String(item[idField]);
    let id = raw;
    if (fixtures && !exact.has(raw)) {
      const found = loose.get(raw.trim().toLowerCase());
      if (found === undefined) {
        const expected = fixtures.map((fixture) => fixture.id).join(', ');
        return {
          ok: false,
          message: `[${index}].${idField}: "${raw}" is not a match in this call (expected ${expected})`,
        };
      }
      coercions.push(`match-id:${raw}->${found}`);
      id = found;
    }
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      return {
        ok: false,
        message: `[${index}].${idField}: "${id}" was already answered at [${earlier}]`,
      };
    }
    seen.set(id, index);
    byId.set(id, { ...item, [idField]: id });
  }
  if (!fixtures) return { ok: true, items: [...byId.values()], coercions };
  const missing = fixtures.filter((fixture) => !byId.has(fixture.id)).map((fixture) => fixture.id);
  if (missing.length > 0) {
    return {
      ok: false,
      message: `no answer for ${missing.length} of ${fixtures.length} matches: ${missing.join(', ')}`,
    };
  }
  return { ok: true, items: fixtures.map((fixture) => byId.get(fixture.id) as Item), coercions };
}
