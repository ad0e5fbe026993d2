import { describe, expect, it } from 'vitest';
import { DEFAULT_FLEET_FILTERS, type FleetFilters } from '../routing/route';
import { row } from './test-rows';
import { facetValues, mergeRows, statusCounts, visibleModelIds } from './fleet-view';

const filters = (overrides: Partial<FleetFilters>): FleetFilters => ({
  ...DEFAULT_FLEET_FILTERS,
  ...overrides,
});

const rows = [
  row('a-working', {
    status: 'working',
    successRate: 1,
    provider: 'sim-synthetic',
    family: 'qwen',
  }),
  row('b-failing', { status: 'failing', successRate: 0.2, reason: 'timeout on 4 of 5 calls' }),
  row('c-untested'),
  row('d-degraded', { status: 'degraded', successRate: 0.8 }),
  row('e-validating', { reason: 'validating: 1 of 3 clean canaries on config v1' }),
];

describe('visibleModelIds', () => {
  it('sorts by status worst first, ties by id', () => {
    expect(visibleModelIds(rows, DEFAULT_FLEET_FILTERS)).toEqual([
      'b-failing',
      'd-degraded',
      'c-untested',
      'e-validating',
      'a-working',
    ]);
  });

  it('sorts unknown figures last in both directions', () => {
    expect(visibleModelIds(rows, filters({ sort: 'successRate', direction: 'asc' }))).toEqual([
      'b-failing',
      'd-degraded',
      'a-working',
      'c-untested',
      'e-validating',
    ]);
    expect(visibleModelIds(rows, filters({ sort: 'successRate', direction: 'desc' }))).toEqual([
      'a-working',
      'd-degraded',
      'b-failing',
      'c-untested',
      'e-validating',
    ]);
  });

  it('filters untested and validating models apart, as their chips read', () => {
    expect(visibleModelIds(rows, filters({ statuses: ['untested'] }))).toEqual(['c-untested']);
    expect(visibleModelIds(rows, filters({ statuses: ['validating'] }))).toEqual(['e-validating']);
    expect(visibleModelIds(rows, filters({ statuses: ['untested', 'validating'] }))).toEqual([
      'c-untested',
      'e-validating',
    ]);
  });

  it('filters by provider, family and a set of statuses together', () => {
    expect(
      visibleModelIds(
        rows,
        filters({ provider: 'sim-together', statuses: ['failing', 'degraded'] }),
      ),
    ).toEqual(['b-failing', 'd-degraded']);
    expect(visibleModelIds(rows, filters({ family: 'qwen' }))).toEqual(['a-working']);
  });

  it('searches id and reason with a case-insensitive regex, literally when the pattern is unfinished', () => {
    expect(visibleModelIds(rows, filters({ query: 'TIMEOUT' }))).toEqual(['b-failing']);
    expect(visibleModelIds(rows, filters({ query: '^(a|c)-' }))).toEqual([
      'c-untested',
      'a-working',
    ]);
    expect(visibleModelIds([row('x(1')], filters({ query: 'x(' }))).toEqual(['x(1']);
  });
});

describe('facets and counts', () => {
  it('lists distinct providers and families and counts statuses as chips read', () => {
    expect(facetValues(rows)).toEqual({
      providers: ['sim-synthetic', 'sim-together'],
      families: ['llama', 'qwen'],
    });
    expect(statusCounts(rows)).toEqual({
      untested: 1,
      validating: 1,
      working: 1,
      degraded: 1,
      failing: 1,
      disabled: 0,
      inactive: 0,
      unfixable: 0,
    });
  });
});

describe('mergeRows', () => {
  it('keeps the previous object of every unchanged row and reports the changed ones', () => {
    const previous = { a: row('a'), b: row('b') };
    const merged = mergeRows(previous, [row('a'), row('b', { calls: 3 }), row('c')]);
    expect(merged.byId.a).toBe(previous.a);
    expect(merged.byId.b).not.toBe(previous.b);
    expect(merged.changed).toEqual(['b', 'c']);
    expect(merged.ids).toEqual(['a', 'b', 'c']);
  });
});
