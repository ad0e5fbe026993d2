import { useVirtualizer } from '@tanstack/react-virtual';
import {
  type KeyboardEvent,
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
} from 'react';
import { formatCostPerSuccess, formatMs, formatPercent, formatWhen } from '../format';
import { type FleetSortKey, href, modelRoute } from '../routing';
import { renderStats, useApp, useAppStore } from '../state';
import { StatusChip } from './status-chip';

const ROW_HEIGHT = 36;
const SELECT_WIDTH = 34;
const MODEL_WIDTH = 264;
/**
 * Selection, model, action, status, reason, success, p50, cost/success, calls, variant, timeout,
 * fallback, last canary. The reason takes what a wide window leaves over (from its minimum). The
 * first three columns are pinned left, so the model and its Canary button are always in view and
 * the other columns scroll out from under them: a column pinned to the right edge covered the
 * cells beneath it whenever the grid was wider than the window. Figures get room for their widest
 * forms ("12 345 ms", "$0.000123", "no success", "2026-01-01 12:00 UTC").
 */
const COLUMN_WIDTHS = [
  SELECT_WIDTH,
  MODEL_WIDTH,
  80,
  120,
  272,
  84,
  96,
  112,
  76,
  108,
  84,
  160,
  156,
];
const FLEXIBLE_COLUMN = 4;
const ACTION_LEFT = SELECT_WIDTH + MODEL_WIDTH;
// Widths never depend on a row's text, so mounting and updating rows stays cheap.
const COLUMNS = COLUMN_WIDTHS.map((width, index) =>
  index === FLEXIBLE_COLUMN ? `minmax(${width}px, 1fr)` : `${width}px`,
).join(' ');
const GRID_WIDTH = COLUMN_WIDTHS.reduce((sum, width) => sum + width, 0);

const HEADERS: { label: string; sort?: FleetSortKey; numeric?: boolean; title?: string }[] = [
  { label: 'Model', sort: 'id' },
  { label: 'Status', sort: 'status' },
  { label: 'Reason' },
  {
    label: 'Success',
    sort: 'successRate',
    numeric: true,
    title: 'Share of recent calls on the current config version that parsed',
  },
  { label: 'p50', sort: 'p50LatencyMs', numeric: true, title: 'Median latency of recent calls' },
  {
    label: 'Cost/success',
    sort: 'costPerSuccessUsd',
    numeric: true,
    title: 'Spend divided by successful predictions (failed and retried calls count)',
  },
  { label: 'Calls', sort: 'calls', numeric: true },
  { label: 'Variant' },
  { label: 'Timeout', numeric: true },
  { label: 'Fallback' },
  {
    label: 'Last canary',
    sort: 'lastValidated',
    title:
      'When the model last ran a canary on its current config version, whatever the result: a failing or disabled model shows its last (failed) canary too',
  },
];

export interface FleetGridProps {
  ids: readonly string[];
  sort: FleetSortKey;
  direction: 'asc' | 'desc';
  onSort(key: FleetSortKey): void;
  onOpen(modelId: string): void;
  onCanary(modelIds: string[]): void;
}

interface RowProps {
  id: string;
  start: number;
  index: number;
  active: boolean;
  onCanary(modelIds: string[]): void;
  onToggle(modelId: string): void;
  onActivate(modelId: string): void;
}

/** One row; subscribes to its own model only, so a live update re-renders just that row. */
const FleetRow = memo(function FleetRow({
  id,
  start,
  index,
  active,
  onCanary,
  onToggle,
  onActivate,
}: RowProps) {
  const row = useApp((state) => state.fleetById[id]);
  const selected = useApp((state) => state.selectedIds[id] === true);
  const running = useApp((state) => state.runningModels[id] !== undefined);
  renderStats.rowRenders++;
  if (row === undefined) return null;
  return (
    <tr
      // biome-ignore lint/a11y/noRedundantRoles: the table is display:block, so the row role is stated
      role="row"
      id={`fleet-row-${index}`}
      className={active ? 'grid-row active' : 'grid-row'}
      aria-rowindex={index + 2}
      aria-selected={selected}
      data-model-id={id}
      data-row-status={row.status}
      data-row-calls={row.calls}
      data-row-running={running}
      style={{ transform: `translateY(${start}px)` }}
      onMouseDown={() => onActivate(id)}
    >
      <td className="sticky">
        <input
          type="checkbox"
          tabIndex={-1}
          checked={selected}
          onChange={() => onToggle(id)}
          aria-label={`Select ${id}`}
        />
      </td>
      <td
        className="sticky model-cell"
        style={{ left: SELECT_WIDTH }}
        title={`${id}\n${row.provider} · ${row.providerModelId}`}
      >
        <a href={href(modelRoute(id))} tabIndex={-1}>
          {id}
        </a>
        {row.premium && <span className="tag">premium</span>}
        {row.unpriced && <span className="tag warn">unpriced</span>}
      </td>
      <td className="sticky sticky-edge" style={{ left: ACTION_LEFT }}>
        <button
          type="button"
          className="small"
          tabIndex={-1}
          data-action="row-canary"
          disabled={running || !row.active}
          onClick={() => onCanary([id])}
          title="Run a canary for this model (c on the active row)"
        >
          Canary
        </button>
      </td>
      <td>
        <StatusChip status={row.status} reason={row.reason} running={running} />
      </td>
      <td className="reason" title={row.reason ?? ''}>
        {row.reason ?? ''}
      </td>
      <td className="num" data-column="success">
        {formatPercent(row.successRate, 0)}
      </td>
      <td className="num" data-column="p50">
        {formatMs(row.p50LatencyMs)}
      </td>
      <td className="num" data-column="cost-per-success">
        {row.calls === 0
          ? '—'
          : formatCostPerSuccess(row.successRate, row.costPerSuccessUsd, { unpriced: row.unpriced })}
      </td>
      <td className="num" data-column="calls">
        {row.calls}
      </td>
      <td className="mono small">{row.promptVariant}</td>
      <td className="num" data-column="timeout">
        {row.timeoutMs / 1000} s
      </td>
      <td className="small">{row.fallback ?? <span className="muted">none</span>}</td>
      <td
        className="small muted"
        data-column="last-canary"
        title={row.lastValidated ?? 'no canary on this config version yet'}
      >
        {formatWhen(row.lastValidated)}
      </td>
    </tr>
  );
});

function markFirstRender(name: 'start' | 'committed' | 'painted') {
  const mark = `fleet-grid:${name}`;
  if (performance.getEntriesByName(mark).length === 0) performance.mark(mark);
}

/**
 * The status grid: virtualised rows with stable keys, a sticky header and first column, one tab
 * stop (arrow keys or j/k move, Enter opens, x toggles selection, c runs a canary).
 * Emits performance marks fleet-grid:start / committed / painted on its first render with rows.
 */
export function FleetGrid({ ids, sort, direction, onSort, onOpen, onCanary }: FleetGridProps) {
  if (ids.length > 0) markFirstRender('start');
  const scrollRef = useRef<HTMLDivElement>(null);
  const activeModelId = useApp((state) => state.activeModelId);
  const setActiveModel = useApp((state) => state.setActiveModel);
  const toggleSelected = useApp((state) => state.toggleSelected);
  // The active row is a model: its index is looked up in the current order. A model no longer
  // shown (filtered out, removed) gives way to the row now at its last position.
  const lastActiveIndex = useRef(0);
  const found = activeModelId === null ? -1 : ids.indexOf(activeModelId);
  const activeIndex =
    found >= 0 ? found : Math.max(0, Math.min(lastActiveIndex.current, ids.length - 1));
  const virtualizer = useVirtualizer({
    count: ids.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    getItemKey: (index) => ids[index] ?? index,
    initialRect: { width: 1200, height: 800 },
  });

  useLayoutEffect(() => {
    if (ids.length === 0) return;
    markFirstRender('committed');
    requestAnimationFrame(() => markFirstRender('painted'));
  }, [ids.length]);

  useLayoutEffect(() => {
    lastActiveIndex.current = activeIndex;
    const shown = ids[activeIndex];
    if (found < 0 && shown !== undefined) setActiveModel(shown);
  }, [activeIndex, found, ids, setActiveModel]);

  // Back from a model page, and after the operator sorts, the active model is brought into view
  // wherever the order put it; live re-sorts during a run never scroll the grid.
  // biome-ignore lint/correctness/useExhaustiveDependencies: on mount and on a new sort only
  useEffect(() => {
    if (found >= 0) virtualizer.scrollToIndex(found, { align: 'auto' });
  }, [sort, direction]);

  const store = useAppStore();
  const stableCanary = useCallback((modelIds: string[]) => onCanary(modelIds), [onCanary]);

  const move = (next: number) => {
    const clamped = Math.max(0, Math.min(ids.length - 1, next));
    const id = ids[clamped];
    if (id === undefined) return;
    setActiveModel(id);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTableElement>) => {
    if (event.metaKey || event.ctrlKey || event.altKey) return;
    // Keys pressed on a sort header are the header's (Enter sorts), not the rows'.
    if (event.target instanceof Element && event.target.closest('thead')) return;
    const id = ids[activeIndex];
    const pageRows = Math.max(
      1,
      Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_HEIGHT) - 2,
    );
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
        case 'j':
          move(activeIndex + 1);
          return true;
        case 'ArrowUp':
        case 'k':
          move(activeIndex - 1);
          return true;
        case 'PageDown':
          move(activeIndex + pageRows);
          return true;
        case 'PageUp':
          move(activeIndex - pageRows);
          return true;
        case 'Home':
          move(0);
          return true;
        case 'End':
          move(ids.length - 1);
          return true;
        case 'Enter':
          if (id) onOpen(id);
          return true;
        case 'x':
        case ' ':
          if (id) toggleSelected(id);
          return true;
        case 'c': {
          const selected = Object.keys(store.getState().selectedIds);
          if (selected.length > 0) onCanary(selected);
          else if (id) onCanary([id]);
          return true;
        }
        default:
          return false;
      }
    })();
    if (handled) event.preventDefault();
  };

  const arrow = direction === 'asc' ? '▲' : '▼';
  // A real table (display overridden in CSS) with the ARIA grid pattern: the table is the one tab
  // stop and points at the active row with aria-activedescendant.
  return (
    <div
      ref={scrollRef}
      className="grid-wrap"
      data-grid-rows={ids.length}
      style={{
        ['--grid-columns' as string]: COLUMNS,
        ['--grid-width' as string]: `${GRID_WIDTH}px`,
      }}
    >
      <table
        className="grid-table"
        // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the ARIA grid pattern on a table: one tab stop, aria-activedescendant
        role="grid"
        aria-label="Fleet status"
        aria-rowcount={ids.length + 1}
        aria-activedescendant={ids.length > 0 ? `fleet-row-${activeIndex}` : undefined}
        aria-multiselectable
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <thead className="grid-head">
          <tr className="grid-header" aria-rowindex={1}>
            <th className="sticky" aria-label="Selected" />
            {HEADERS.map((header, index) => [
              <th
                key={header.label}
                className={`${header.numeric ? 'num' : ''}${index === 0 ? ' sticky' : ''}`}
                style={index === 0 ? { left: SELECT_WIDTH } : undefined}
                title={header.title}
                aria-sort={
                  header.sort === sort
                    ? direction === 'asc'
                      ? 'ascending'
                      : 'descending'
                    : undefined
                }
              >
                {header.sort ? (
                  // Reachable by Tab (the rows are one stop; the sort headers each their own),
                  // so the keyboard can sort as the mouse does.
                  <button
                    type="button"
                    className="sort"
                    onClick={() => onSort(header.sort as FleetSortKey)}
                    data-sorted={header.sort === sort ? direction : undefined}
                    data-arrow={arrow}
                  >
                    {header.label}
                  </button>
                ) : (
                  header.label
                )}
              </th>,
              index === 0 && (
                <th
                  key="actions"
                  className="sticky sticky-edge"
                  style={{ left: ACTION_LEFT }}
                  aria-label="Actions"
                />
              ),
            ])}
          </tr>
        </thead>
        <tbody className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
          {virtualizer.getVirtualItems().map((item) => {
            const id = ids[item.index];
            if (id === undefined) return null;
            return (
              <FleetRow
                key={id}
                id={id}
                index={item.index}
                start={item.start}
                active={item.index === activeIndex}
                onCanary={stableCanary}
                onToggle={toggleSelected}
                onActivate={setActiveModel}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
