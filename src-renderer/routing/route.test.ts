import { describe, expect, it } from 'vitest';
import { DEFAULT_FLEET_FILTERS, formatHash, parseHash, type Route } from './route';

describe('hash routes', () => {
  it('round-trips every page, filters included', () => {
    const routes: Route[] = [
      {
        page: 'fleet',
        filters: {
          provider: 'sim-together',
          family: null,
          statuses: ['failing', 'validating'],
          query: 'qwen',
          sort: 'calls',
          direction: 'desc',
        },
      },
      { page: 'fleet', filters: DEFAULT_FLEET_FILTERS },
      { page: 'model', modelId: 'meta-llama/Llama-3.3-70B-Instruct-Turbo' },
      { page: 'prompts', kind: 'variant', name: 'JSON_STRICT', modelId: 'mistral-7b' },
      { page: 'compare', runId: 'r-12' },
      { page: 'budget', days: 30, volume: 5000 },
      { page: 'runs', runId: null },
      { page: 'settings' },
    ];
    for (const route of routes) expect(parseHash(formatHash(route))).toEqual(route);
  });

  it('still reads a status link made before validating was its own filter', () => {
    expect(parseHash('#/fleet?status=untested,working')).toEqual({
      page: 'fleet',
      filters: { ...DEFAULT_FLEET_FILTERS, statuses: ['untested', 'working'] },
    });
  });

  it('keeps default values out of links', () => {
    expect(formatHash({ page: 'fleet', filters: DEFAULT_FLEET_FILTERS })).toBe('#/fleet');
    expect(formatHash({ page: 'budget', days: 14, volume: 1000 })).toBe('#/budget');
  });

  it('reads unknown pages and bad values as defaults', () => {
    expect(parseHash('')).toEqual({ page: 'fleet', filters: DEFAULT_FLEET_FILTERS });
    expect(parseHash('#/nowhere')).toEqual({ page: 'fleet', filters: DEFAULT_FLEET_FILTERS });
    expect(parseHash('#/fleet?status=failing,bogus&sort=nope')).toEqual({
      page: 'fleet',
      filters: { ...DEFAULT_FLEET_FILTERS, statuses: ['failing'] },
    });
    expect(parseHash('#/budget?days=900&volume=-1')).toEqual({
      page: 'budget',
      days: 14,
      volume: 1000,
    });
  });
});
