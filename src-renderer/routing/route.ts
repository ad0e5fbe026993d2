import { type ChipStatus, isChipStatus } from '../state/chip-status';

/** Columns the fleet grid sorts by (the whole data set, never the visible page). */
export const FLEET_SORT_KEYS = [
  'id',
  'provider',
  'family',
  'status',
  'successRate',
  'p50LatencyMs',
  'costPerSuccessUsd',
  'calls',
  'lastValidated',
] as const;
export type FleetSortKey = (typeof FLEET_SORT_KEYS)[number];

/** The fleet grid's table state: one serialisable object that lives in the route. */
export interface FleetFilters {
  provider: string | null;
  family: string | null;
  /** The chips to show (`validating` apart from `untested`); empty shows every model. */
  statuses: ChipStatus[];
  /** Case-insensitive regular expression over id, provider model id and reason. */
  query: string;
  sort: FleetSortKey;
  direction: 'asc' | 'desc';
}

export const DEFAULT_FLEET_FILTERS: FleetFilters = {
  provider: null,
  family: null,
  statuses: [],
  query: '',
  sort: 'status',
  direction: 'asc',
};

export type Route =
  | { page: 'fleet'; filters: FleetFilters }
  | { page: 'model'; modelId: string }
  | {
      page: 'prompts';
      kind: 'variant' | 'component' | null;
      name: string | null;
      modelId: string | null;
    }
  | { page: 'compare'; runId: string | null }
  | { page: 'budget'; days: number; volume: number }
  | { page: 'runs'; runId: string | null }
  | { page: 'settings' };

export type PageName = Route['page'];
export const PAGES: readonly PageName[] = [
  'fleet',
  'model',
  'prompts',
  'compare',
  'budget',
  'runs',
  'settings',
];

export const DEFAULT_BUDGET_DAYS = 14;
export const DEFAULT_VOLUME = 1000;

function positiveInt(text: string | null, fallback: number, max: number): number {
  if (text === null || !/^\d+$/.test(text)) return fallback;
  const value = Number(text);
  return value >= 1 && value <= max ? value : fallback;
}

function parseFleetFilters(params: URLSearchParams): FleetFilters {
  const sort = params.get('sort');
  const statuses = (params.get('status') ?? '').split(',').filter(isChipStatus);
  return {
    provider: params.get('provider') || null,
    family: params.get('family') || null,
    statuses,
    query: params.get('q') ?? '',
    sort: (FLEET_SORT_KEYS as readonly string[]).includes(sort ?? '')
      ? (sort as FleetSortKey)
      : DEFAULT_FLEET_FILTERS.sort,
    direction: params.get('dir') === 'desc' ? 'desc' : 'asc',
  };
}

/** `#/fleet?status=failing&sort=calls&dir=desc` → a Route; anything unknown → the fleet. */
export function parseHash(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const [pathPart = '', queryPart = ''] = text.split('?', 2);
  const segments = pathPart.split('/').filter(Boolean);
  const params = new URLSearchParams(queryPart);
  const [page, ...rest] = segments;
  const tail = rest.length > 0 ? decodeURIComponent(rest.join('/')) : null;
  switch (page) {
    case 'model':
      return tail
        ? { page: 'model', modelId: tail }
        : { page: 'fleet', filters: DEFAULT_FLEET_FILTERS };
    case 'prompts': {
      const kind = params.get('kind');
      return {
        page: 'prompts',
        kind: kind === 'variant' || kind === 'component' ? kind : null,
        name: params.get('name') || null,
        modelId: params.get('model') || null,
      };
    }
    case 'compare':
      return { page: 'compare', runId: tail };
    case 'budget':
      return {
        page: 'budget',
        days: positiveInt(params.get('days'), DEFAULT_BUDGET_DAYS, 90),
        volume: positiveInt(params.get('volume'), DEFAULT_VOLUME, 100_000_000),
      };
    case 'runs':
      return { page: 'runs', runId: tail };
    case 'settings':
      return { page: 'settings' };
    default:
      return { page: 'fleet', filters: parseFleetFilters(params) };
  }
}

function withQuery(path: string, entries: [string, string | null | undefined][]): string {
  const params = new URLSearchParams();
  for (const [key, value] of entries) if (value) params.set(key, value);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

/** The inverse of parseHash; default values are left out so links stay short. */
export function formatHash(route: Route): string {
  switch (route.page) {
    case 'fleet': {
      const { filters } = route;
      return withQuery('#/fleet', [
        ['provider', filters.provider],
        ['family', filters.family],
        ['status', filters.statuses.join(',')],
        ['q', filters.query],
        ['sort', filters.sort === DEFAULT_FLEET_FILTERS.sort ? null : filters.sort],
        ['dir', filters.direction === 'desc' ? 'desc' : null],
      ]);
    }
    case 'model':
      return `#/model/${encodeURIComponent(route.modelId)}`;
    case 'prompts':
      return withQuery('#/prompts', [
        ['kind', route.kind],
        ['name', route.name],
        ['model', route.modelId],
      ]);
    case 'compare':
      return route.runId ? `#/compare/${encodeURIComponent(route.runId)}` : '#/compare';
    case 'budget':
      return withQuery('#/budget', [
        ['days', route.days === DEFAULT_BUDGET_DAYS ? null : String(route.days)],
        ['volume', route.volume === DEFAULT_VOLUME ? null : String(route.volume)],
      ]);
    case 'runs':
      return route.runId ? `#/runs/${encodeURIComponent(route.runId)}` : '#/runs';
    case 'settings':
      return '#/settings';
  }
}

export const fleetRoute = (filters: Partial<FleetFilters> = {}): Route => ({
  page: 'fleet',
  filters: { ...DEFAULT_FLEET_FILTERS, ...filters },
});
export const modelRoute = (modelId: string): Route => ({ page: 'model', modelId });
export const runRoute = (runId: string | null): Route => ({ page: 'runs', runId });
