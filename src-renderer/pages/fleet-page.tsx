import { useCallback, useMemo, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { EmptyState } from '../components/empty-state';
import { FleetGrid } from '../components/fleet-grid';
import { InlineError } from '../components/inline-error';
import { ProgressBar } from '../components/progress-bar';
import { formatUsd } from '../format';
import {
  DEFAULT_FLEET_FILTERS,
  type FleetFilters,
  type FleetSortKey,
  fleetRoute,
  href,
  modelRoute,
  navigate,
  runRoute,
} from '../routing';
import {
  CHIP_STATUSES,
  type ChipStatus,
  facetValues,
  statusCounts,
  useActions,
  useApp,
  useAppStore,
  visibleModelIds,
} from '../state';

const MODES: { label: string; statuses: ChipStatus[] }[] = [
  { label: 'All', statuses: [] },
  { label: 'Needs attention', statuses: ['failing', 'disabled', 'degraded'] },
  { label: 'Working', statuses: ['working'] },
  { label: 'Untested', statuses: ['untested'] },
  { label: 'Validating', statuses: ['validating'] },
];

const sameList = (left: readonly string[], right: readonly string[]) =>
  left.length === right.length && left.every((value, index) => value === right[index]);

/** The filtered, sorted ids; the same array while nothing about the order changed. */
function useVisibleIds(filters: FleetFilters): string[] {
  const fleetById = useApp((state) => state.fleetById);
  const fleetIds = useApp((state) => state.fleetIds);
  const previous = useRef<string[]>([]);
  return useMemo(() => {
    const rows = fleetIds.flatMap((id) => fleetById[id] ?? []);
    const next = visibleModelIds(rows, filters);
    if (sameList(previous.current, next)) return previous.current;
    previous.current = next;
    return next;
  }, [fleetById, fleetIds, filters]);
}

function RunningCanaries() {
  const running = useApp(
    useShallow((state) =>
      state.runIds.filter((id) => state.runsById[id]?.status === 'running').slice(0, 3),
    ),
  );
  if (running.length === 0) return null;
  return (
    <div className="stack">
      {running.map((runId) => (
        <RunningStrip key={runId} runId={runId} />
      ))}
    </div>
  );
}

function RunningStrip({ runId }: { runId: string }) {
  const run = useApp((state) => state.runsById[runId]);
  const waiting = useApp((state) => state.progressByRun[runId]?.waiting ?? null);
  const { cancelRun } = useActions();
  if (!run) return null;
  return (
    <div className="card row" data-live-run={runId} data-run-status={run.status}>
      <strong>
        <a href={href(runRoute(runId))}>{run.kind}</a>
      </strong>
      <ProgressBar progress={run} />
      <span className="small">
        {run.done} / {run.total} · {run.failed} failed ·{' '}
        {run.cancelled > 0 ? `${run.cancelled} cancelled · ` : ''}
        {formatUsd(run.costUsd)}
      </span>
      {waiting && <span className="tag warn">waiting: {waiting}</span>}
      <span className="grow" style={{ flex: 1 }} />
      <button type="button" className="small" onClick={() => void cancelRun(runId)}>
        Cancel
      </button>
    </div>
  );
}

export function FleetPage({ filters }: { filters: FleetFilters }) {
  const status = useApp((state) => state.fleetStatus);
  const error = useApp((state) => state.fleetError);
  const coverage = useApp((state) => state.coverage);
  const simulated = useApp((state) => state.fleetSimulated);
  const task = useApp((state) => state.fleetTask);
  const fleetById = useApp((state) => state.fleetById);
  const selectedIds = useApp(useShallow((state) => Object.keys(state.selectedIds)));
  const selectedCount = selectedIds.length;
  const canaryError = useApp((state) => state.canaryError);
  const store = useAppStore();
  const { startCanary, loadFleet, clearSelected, setSelected } = useActions();
  const ids = useVisibleIds(filters);
  // A selection outlives a filter (so one can be gathered over several searches) and the canary
  // runs all of it: the button says how much of it the filter hides.
  const hiddenSelected = useMemo(() => {
    const shown = new Set(ids);
    return selectedIds.filter((id) => !shown.has(id)).length;
  }, [ids, selectedIds]);

  const allRows = useMemo(() => Object.values(fleetById), [fleetById]);
  const facets = useMemo(() => facetValues(allRows), [allRows]);
  const counts = useMemo(() => statusCounts(allRows), [allRows]);
  // A validating model has had a clean canary: the first-canary hint is for Untested chips only.
  const testedCount = allRows.length - counts.untested;

  const setFilters = useCallback(
    (patch: Partial<FleetFilters>) =>
      navigate(fleetRoute({ ...filters, ...patch }), { replace: true }),
    [filters],
  );
  const onSort = useCallback(
    (key: FleetSortKey) =>
      setFilters({
        sort: key,
        direction: filters.sort === key && filters.direction === 'asc' ? 'desc' : 'asc',
      }),
    [filters, setFilters],
  );
  const onOpen = useCallback((modelId: string) => navigate(modelRoute(modelId)), []);
  const onCanary = useCallback((modelIds: string[]) => void startCanary(modelIds), [startCanary]);

  const toggleStatus = (name: ChipStatus) =>
    setFilters({
      statuses: filters.statuses.includes(name)
        ? filters.statuses.filter((s) => s !== name)
        : [...filters.statuses, name],
    });
  const filtered =
    JSON.stringify({ ...filters, sort: null, direction: null }) !==
    JSON.stringify({ ...DEFAULT_FLEET_FILTERS, sort: null, direction: null });

  if (status === 'error' && allRows.length === 0) {
    return (
      <div className="page" data-page="fleet">
        <InlineError
          error={error}
          title="Could not load the fleet"
          onRetry={() => void loadFleet()}
        />
      </div>
    );
  }

  return (
    <div className="page" data-page="fleet">
      <div className="page-head">
        <div className="stack" style={{ gap: 4 }}>
          <div className="row">
            <h1>Fleet</h1>
            {task && <span className="tag">{task}</span>}
            {simulated && (
              <span className="tag" title="Served by the built-in simulator: no keys, no spend">
                simulated fleet
              </span>
            )}
          </div>
          {coverage && (
            <div className="row" data-coverage={coverage.percent ?? ''}>
              <span className="coverage">{coverage.label}</span>
              <span className="coverage-bar" aria-hidden>
                <span style={{ width: `${coverage.percent ?? 0}%` }} />
              </span>
              {coverage.unfixable > 0 && (
                <span className="muted small">{coverage.unfixable} unfixable not counted</span>
              )}
            </div>
          )}
        </div>
        <span className="grow" />
        {selectedCount > 0 && (
          <button type="button" onClick={clearSelected} title="Clear the selection (Esc)">
            Clear {selectedCount} selected
          </button>
        )}
        {ids.length > 0 && selectedCount === 0 && filtered && (
          <button type="button" onClick={() => setSelected(ids)}>
            Select {ids.length} shown
          </button>
        )}
        <button
          type="button"
          className="primary"
          data-action="canary"
          title="Run a canary: every selected model, shown or hidden by the filter, or every active model (c)"
          onClick={() => {
            const selected = Object.keys(store.getState().selectedIds);
            void startCanary(selected.length > 0 ? selected : undefined);
          }}
          disabled={allRows.length === 0}
        >
          {selectedCount === 0
            ? 'Canary all active'
            : hiddenSelected > 0
              ? `Canary ${selectedCount} selected (${hiddenSelected} hidden by the filter)`
              : `Canary ${selectedCount} selected`}
        </button>
      </div>
      <InlineError error={canaryError} title="The canary did not start" />
      {error && allRows.length > 0 && (
        <InlineError
          error={error}
          title="The fleet did not refresh"
          onRetry={() => void loadFleet()}
        />
      )}
      <RunningCanaries />
      {allRows.length > 0 && testedCount === 0 && (
        <div className="banner" data-hint="first-canary">
          <strong>No model has been tested yet.</strong> Run a canary to see which models answer
          with valid JSON: press <strong>Canary all active</strong> (or select rows with{' '}
          <kbd>x</kbd> and press <kbd>c</kbd>). On the simulated fleet it takes a few seconds and
          costs nothing.
        </div>
      )}
      <div className="toolbar">
        <input
          type="search"
          placeholder="Search id or reason (regex)  /"
          aria-label="Search models"
          data-fleet-search
          value={filters.query}
          onChange={(event) => setFilters({ query: event.target.value })}
        />
        <select
          aria-label="Provider"
          value={filters.provider ?? ''}
          onChange={(event) => setFilters({ provider: event.target.value || null })}
        >
          <option value="">All providers</option>
          {facets.providers.map((provider) => (
            <option key={provider}>{provider}</option>
          ))}
        </select>
        <select
          aria-label="Family"
          value={filters.family ?? ''}
          onChange={(event) => setFilters({ family: event.target.value || null })}
        >
          <option value="">All families</option>
          {facets.families.map((family) => (
            <option key={family}>{family}</option>
          ))}
        </select>
        <fieldset className="seg" aria-label="Display mode">
          {MODES.map((mode) => (
            <button
              key={mode.label}
              type="button"
              aria-pressed={mode.statuses.join() === filters.statuses.join()}
              onClick={() => setFilters({ statuses: mode.statuses })}
            >
              {mode.label}
            </button>
          ))}
        </fieldset>
        <fieldset className="seg" aria-label="Statuses">
          {CHIP_STATUSES.filter((name) => counts[name] > 0 || filters.statuses.includes(name)).map(
            (name) => (
              <button
                key={name}
                type="button"
                aria-pressed={filters.statuses.includes(name)}
                onClick={() => toggleStatus(name)}
                data-status-filter={name}
              >
                {name} {counts[name]}
              </button>
            ),
          )}
        </fieldset>
        <span className="muted small">
          {ids.length} of {allRows.length} shown
        </span>
      </div>
      {allRows.length === 0 && status === 'ready' ? (
        <EmptyState
          title="No models in this workspace"
          testId="fleet"
          action={<a href="#/settings">Open Settings → Fleet files</a>}
        >
          Import a fleet file (providers and models) in Settings, or start Fleetdeck with a fresh
          data folder to get the simulated fleet to practise on.
        </EmptyState>
      ) : ids.length === 0 && allRows.length > 0 ? (
        <EmptyState
          title="No model matches these filters"
          testId="fleet-filtered"
          action={<a href={href(fleetRoute())}>Clear the filters</a>}
        >
          Widen the status, provider or family filters, or change the search.
        </EmptyState>
      ) : (
        <FleetGrid
          ids={ids}
          sort={filters.sort}
          direction={filters.direction}
          onSort={onSort}
          onOpen={onOpen}
          onCanary={onCanary}
        />
      )}
      <div className="muted small">
        Tab into the grid, then <kbd>j</kbd>/<kbd>k</kbd> or arrows to move, <kbd>Enter</kbd> to
        open, <kbd>x</kbd> to select, <kbd>c</kbd> to run a canary. Figures are over each model's
        recent calls on its current config version.
      </div>
    </div>
  );
}
