import { useEffect, useMemo, useState } from 'react';
import { type CompareView, contract } from '../../src-shared/ipc';
import { EmptyState } from '../components/empty-state';
import { InlineError } from '../components/inline-error';
import { ProgressBar } from '../components/progress-bar';
import { useAsyncAction } from '../components/use-async-action';
import { formatCostPerSuccess, formatMs, formatPercent, formatUsd } from '../format';
import { href, modelRoute, navigate } from '../routing';
import { useActions, useApp } from '../state';
import type { CompareColumnInput } from '../state/compare-slice';

type Cell = CompareView['rows'][number]['cells'][number];

/** The contract's bounds on a side-by-side run's fixtures, so the form refuses what main would. */
const FIXTURES = contract['compare.start'].input.shape.fixtures.unwrap();
const MIN_FIXTURES = FIXTURES.minValue ?? 1;
const MAX_FIXTURES = FIXTURES.maxValue ?? MIN_FIXTURES;

/** The fixtures box as a count, or what it needs (a number input reads unreadable text as ''). */
function readFixtures(text: string): number | { problem: string } {
  const parsed = FIXTURES.safeParse(text.trim() === '' ? Number.NaN : Number(text));
  return parsed.success
    ? parsed.data
    : { problem: `Fixtures: enter a whole number from ${MIN_FIXTURES} to ${MAX_FIXTURES}` };
}

interface ColumnDraft {
  modelId: string;
  variant: string;
  version: string;
}

function cellText(cell: Cell): string {
  if (cell === null) return '…';
  if (!cell.ok) return cell.errorClass ?? 'failed';
  const value = cell.value as { homeScore?: unknown; awayScore?: unknown } | null;
  if (value && typeof value === 'object' && 'homeScore' in value && 'awayScore' in value)
    return `${String(value.homeScore)}–${String(value.awayScore)}`;
  return JSON.stringify(cell.value);
}

/** A column's cost per success in the grid's words: a column that never succeeded says so. */
function costPerSuccess(column: CompareView['columns'][number]): string {
  if (column.successRate === null) return 'no calls yet';
  const cost = formatCostPerSuccess(column.successRate, column.costPerSuccessUsd);
  return column.successRate === 0 ? cost : `${cost}/success`;
}

function Builder() {
  const fleetIds = useApp((state) => state.fleetIds);
  const fleetById = useApp((state) => state.fleetById);
  const catalog = useApp((state) => state.catalog);
  const { startCompare, loadCatalog } = useActions();
  const start = useAsyncAction(startCompare);
  const working = fleetIds.filter((id) => fleetById[id]?.status === 'working');
  const pick = (index: number) => working[index] ?? fleetIds[index] ?? '';
  const [columns, setColumns] = useState<ColumnDraft[]>(() =>
    [0, 1, 2].map((index) => ({ modelId: pick(index), variant: '', version: '' })),
  );
  const [fixturesText, setFixturesText] = useState('5');
  const fixtures = readFixtures(fixturesText);
  useEffect(() => {
    if (catalog.status === 'idle') void loadCatalog();
  }, [catalog.status, loadCatalog]);
  const variants = catalog.data?.variants.map((variant) => variant.name) ?? [];

  const update = (index: number, patch: Partial<ColumnDraft>) =>
    setColumns((current) =>
      current.map((column, i) => (i === index ? { ...column, ...patch } : column)),
    );
  const input: CompareColumnInput[] = columns.map((column) => ({
    modelId: column.modelId,
    ...(column.variant ? { promptVariant: column.variant } : {}),
    ...(column.version ? { configVersion: Number(column.version) } : {}),
  }));
  const valid =
    columns.length >= 2 &&
    columns.every((column) => column.modelId !== '') &&
    typeof fixtures === 'number';

  return (
    <section className="card stack" data-compare-builder>
      <h2>New side-by-side run</h2>
      <div className="muted small">
        Each column is a model at a config version with an optional prompt variant; every column
        answers the same fixtures. Compare a model with itself under two variants to test a fix.
      </div>
      <div
        className="form-grid"
        style={{ gridTemplateColumns: `repeat(${columns.length}, minmax(200px, 1fr))` }}
      >
        {columns.map((column, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
          <div key={index} className="stack" data-compare-column={index}>
            <label className="field">
              Column {index + 1} model
              <select
                value={column.modelId}
                onChange={(event) => update(index, { modelId: event.target.value })}
                data-field={`column-${index}-model`}
              >
                <option value="">pick a model…</option>
                {fleetIds.map((id) => (
                  <option key={id}>{id}</option>
                ))}
              </select>
            </label>
            <label className="field">
              Prompt variant
              <select
                value={column.variant}
                onChange={(event) => update(index, { variant: event.target.value })}
              >
                <option value="">its own</option>
                {variants.map((name) => (
                  <option key={name}>{name}</option>
                ))}
              </select>
            </label>
            <label className="field">
              Config version
              <input
                type="number"
                min={1}
                placeholder="current"
                value={column.version}
                onChange={(event) => update(index, { version: event.target.value })}
              />
            </label>
            {columns.length > 2 && (
              <button
                type="button"
                className="small"
                onClick={() => setColumns(columns.filter((_, i) => i !== index))}
              >
                Remove column
              </button>
            )}
          </div>
        ))}
      </div>
      <div className="row">
        <button
          type="button"
          disabled={columns.length >= 6}
          onClick={() => setColumns([...columns, { modelId: '', variant: '', version: '' }])}
        >
          Add column
        </button>
        <label className="row small">
          Fixtures
          <input
            type="number"
            min={MIN_FIXTURES}
            max={MAX_FIXTURES}
            step={1}
            value={fixturesText}
            data-field="compare-fixtures"
            aria-invalid={typeof fixtures !== 'number'}
            aria-describedby={typeof fixtures === 'number' ? undefined : 'compare-fixtures-problem'}
            onChange={(event) => setFixturesText(event.target.value)}
            style={{ width: 70 }}
          />
        </label>
        <button
          type="button"
          className="primary"
          data-action="start-compare"
          disabled={!valid || start.pending}
          onClick={async () => {
            if (typeof fixtures !== 'number') return;
            const runId = await start.run(input, fixtures);
            if (runId) navigate({ page: 'compare', runId });
          }}
        >
          {typeof fixtures === 'number'
            ? `Run side by side (${columns.length} columns × ${fixtures} fixtures)`
            : `Run side by side (${columns.length} columns)`}
        </button>
      </div>
      {typeof fixtures !== 'number' && (
        <span
          id="compare-fixtures-problem"
          className="field-problem"
          data-field-problem="fixtures"
          role="alert"
        >
          {fixtures.problem}
        </span>
      )}
      <InlineError error={start.error} title="The side-by-side run did not start" />
    </section>
  );
}

function CompareTable({ runId }: { runId: string }) {
  const entry = useApp((state) => state.compareRuns[runId]);
  const run = useApp((state) => state.runsById[runId]);
  const { loadCompare, loadRun } = useActions();
  const [onlyDiffs, setOnlyDiffs] = useState(false);
  const [open, setOpen] = useState<{ row: number; column: number } | null>(null);
  const running = run?.status === 'running';
  const done = run?.done ?? 0;

  useEffect(() => {
    void loadRun(runId);
  }, [runId, loadRun]);
  // Results stream in: refetch as calls land (progress events arrive ~10/s; one fetch a second is plenty).
  // biome-ignore lint/correctness/useExhaustiveDependencies: `done` is the trigger: cells stream in as calls land
  useEffect(() => {
    const timer = setTimeout(() => void loadCompare(runId), running ? 1000 : 0);
    return () => clearTimeout(timer);
  }, [runId, done, running, loadCompare]);

  const view = entry?.data ?? null;
  const rows = useMemo(
    () => (view ? view.rows.filter((row) => !onlyDiffs || row.differs) : []),
    [view, onlyDiffs],
  );
  if (!view) {
    return entry?.status === 'error' ? (
      <InlineError
        error={entry.error}
        title="Could not load the side-by-side run"
        onRetry={() => void loadCompare(runId)}
      />
    ) : (
      <div className="muted">Loading {runId}…</div>
    );
  }
  const status = run?.status ?? view.status;
  const differing = view.rows.filter((row) => row.differs).length;
  const openCell = open ? (view.rows[open.row]?.cells[open.column] ?? null) : null;
  return (
    <section
      className="card stack"
      data-compare-run={runId}
      data-compare-status={status}
      data-compare-columns={view.columns.length}
      data-compare-rows={view.rows.length}
    >
      <div className="row">
        <h2 style={{ margin: 0 }}>Side by side · {runId}</h2>
        <span className="tag">{status}</span>
        {run && running && <ProgressBar progress={run} />}
        <span className="grow" style={{ flex: 1 }} />
        <span className="small muted">
          {differing} of {view.rows.length} fixtures differ
        </span>
        <label className="row small">
          <input
            type="checkbox"
            checked={onlyDiffs}
            onChange={(event) => setOnlyDiffs(event.target.checked)}
          />{' '}
          only rows that differ
        </label>
      </div>
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>Fixture</th>
              {view.columns.map((column, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                <th key={index} data-column-model={column.modelId}>
                  <div>
                    <a href={href(modelRoute(column.modelId))}>{column.label}</a>
                  </div>
                  <div className="small muted" style={{ fontWeight: 400 }}>
                    v{column.configVersion} · {column.promptVariant} ·{' '}
                    {formatPercent(column.successRate, 0)} ok · {costPerSuccess(column)}
                  </div>
                  {column.warnings.map((warning) => (
                    <div key={warning} className="tag warn">
                      {warning}
                    </div>
                  ))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const rowIndex = view.rows.indexOf(row);
              return (
                <tr
                  key={row.fixtureId}
                  className={row.differs ? 'differs' : ''}
                  data-differs={row.differs}
                >
                  <td className="small">{row.label}</td>
                  {row.cells.map((cell, column) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <td key={column} className={cell && !cell.ok ? 'cell-bad' : ''}>
                      <button
                        type="button"
                        className="link"
                        onClick={() => setOpen({ row: rowIndex, column })}
                        style={{ color: 'inherit' }}
                        title="Show the reply"
                      >
                        <span className="mono">{cellText(cell)}</span>
                      </button>{' '}
                      {cell && <span className="muted small">{formatMs(cell.latencyMs)}</span>}
                      {cell && cell.coercions.length > 0 && (
                        <span className="tag warn" title={cell.coercions.join(', ')}>
                          coerced
                        </span>
                      )}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      {openCell && (
        <div className="card stack">
          <h3>
            {view.columns[open?.column ?? 0]?.label} · {view.rows[open?.row ?? 0]?.label}
          </h3>
          {openCell.errorMessage && (
            <div style={{ color: 'var(--bad)' }}>
              {openCell.errorClass}: {openCell.errorMessage}
            </div>
          )}
          <pre className="reply">{openCell.replyExcerpt || '(empty reply)'}</pre>
          <div className="small muted">
            {openCell.promptTokens ?? '?'} in / {openCell.completionTokens ?? '?'} out tokens ·{' '}
            {formatUsd(openCell.costUsd)} · coercions: {openCell.coercions.join(', ') || 'none'}
          </div>
        </div>
      )}
    </section>
  );
}

export default function ComparePage({ runId }: { runId: string | null }) {
  const compareRunIds = useApp((state) =>
    state.runIds
      .filter((id) => state.runsById[id]?.kind === 'compare')
      .slice(0, 10)
      .join(','),
  );
  const previous = compareRunIds ? compareRunIds.split(',') : [];
  return (
    <div className="page" data-page="compare">
      <div className="page-head">
        <h1>Compare</h1>
        {runId && <a href="#/compare">New side-by-side run</a>}
        {previous.length > 0 && (
          <select
            aria-label="Earlier side-by-side runs"
            value={runId ?? ''}
            onChange={(event) => navigate({ page: 'compare', runId: event.target.value || null })}
          >
            <option value="">new run…</option>
            {previous.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        )}
      </div>
      {runId ? <CompareTable runId={runId} /> : <Builder />}
      {!runId && previous.length === 0 && (
        <EmptyState title="No side-by-side runs yet" testId="compare">
          Pick two to six columns above and run them on the same fixtures; the table highlights the
          fixtures where the columns disagree.
        </EmptyState>
      )}
    </div>
  );
}
