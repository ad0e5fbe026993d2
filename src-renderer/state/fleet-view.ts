import type { ModelStatusName } from '../../src-shared/domain/status';
import type { ModelRowView } from '../../src-shared/ipc';
import type { FleetFilters, FleetSortKey } from '../routing/route';
import { type ChipStatus, chipStatus } from './chip-status';

/** Worst first: what an operator has to look at sorts to the top. */
export const STATUS_ORDER: Record<ModelStatusName, number> = {
  failing: 0,
  disabled: 1,
  degraded: 2,
  untested: 3,
  working: 4,
  unfixable: 5,
  inactive: 6,
};

type Comparable = string | number | null;

function sortValue(row: ModelRowView, key: FleetSortKey): Comparable {
  switch (key) {
    case 'status':
      return STATUS_ORDER[row.status];
    case 'lastValidated':
      return row.lastValidated === null ? null : Date.parse(row.lastValidated);
    default:
      return row[key];
  }
}

/** Compiles the search box as a case-insensitive regex; an unfinished pattern matches literally. */
export function compileQuery(query: string): RegExp | null {
  const trimmed = query.trim();
  if (trimmed === '') return null;
  try {
    return new RegExp(trimmed, 'i');
  } catch {
    return new RegExp(trimmed.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'i');
  }
}

export function matchesFilters(
  row: ModelRowView,
  filters: FleetFilters,
  query: RegExp | null,
): boolean {
  if (filters.provider !== null && row.provider !== filters.provider) return false;
  if (filters.family !== null && row.family !== filters.family) return false;
  if (filters.statuses.length > 0 && !filters.statuses.includes(chipStatus(row))) return false;
  // Each field on its own, so ^ and $ anchor to the id (exact-id searches) as operators expect.
  if (
    query !== null &&
    !query.test(row.id) &&
    !query.test(row.providerModelId) &&
    !query.test(row.reason ?? '')
  ) {
    return false;
  }
  return true;
}

/**
 * The ids the grid shows, filtered and sorted over the whole fleet. Unknown figures (null) sort
 * last in either direction; ties break on the id so the order is stable while rows update.
 */
export function visibleModelIds(rows: readonly ModelRowView[], filters: FleetFilters): string[] {
  const query = compileQuery(filters.query);
  const sign = filters.direction === 'asc' ? 1 : -1;
  const kept = rows.filter((row) => matchesFilters(row, filters, query));
  const keyed = kept.map((row) => ({ id: row.id, value: sortValue(row, filters.sort) }));
  keyed.sort((left, right) => {
    if (left.value !== right.value) {
      if (left.value === null) return 1;
      if (right.value === null) return -1;
      if (left.value < right.value) return -sign;
      if (left.value > right.value) return sign;
    }
    return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
  });
  return keyed.map((entry) => entry.id);
}

/** Distinct providers and families for the filter menus, sorted. */
export function facetValues(rows: readonly ModelRowView[]): {
  providers: string[];
  families: string[];
} {
  const providers = new Set<string>();
  const families = new Set<string>();
  for (const row of rows) {
    providers.add(row.provider);
    if (row.family !== null) families.add(row.family);
  }
  return { providers: [...providers].sort(), families: [...families].sort() };
}

/** How many rows show each chip (the status filter's counts). */
export function statusCounts(rows: readonly ModelRowView[]): Record<ChipStatus, number> {
  const counts: Record<ChipStatus, number> = {
    untested: 0,
    validating: 0,
    working: 0,
    degraded: 0,
    failing: 0,
    disabled: 0,
    inactive: 0,
    unfixable: 0,
  };
  for (const row of rows) counts[chipStatus(row)]++;
  return counts;
}

function sameRow(left: ModelRowView, right: ModelRowView): boolean {
  for (const key of Object.keys(right) as (keyof ModelRowView)[]) {
    if (left[key] !== right[key]) return false;
  }
  return true;
}

/**
 * Merges a fresh fleet listing into the rows the grid holds, keeping the previous object for
 * every unchanged row so memoised rows (selected per id) do not re-render.
 */
export function mergeRows(
  previous: Readonly<Record<string, ModelRowView>>,
  next: readonly ModelRowView[],
): { byId: Record<string, ModelRowView>; ids: string[]; changed: string[] } {
  const byId: Record<string, ModelRowView> = {};
  const ids: string[] = [];
  const changed: string[] = [];
  for (const row of next) {
    const old = previous[row.id];
    if (old !== undefined && sameRow(old, row)) {
      byId[row.id] = old;
    } else {
      byId[row.id] = row;
      changed.push(row.id);
    }
    ids.push(row.id);
  }
  return { byId, ids, changed };
}
