import { useEffect, useState } from 'react';
import { RESUMABLE_KINDS } from '../../src-shared/domain';
import type { CallSummaryView, RunView } from '../../src-shared/ipc';
import { EmptyState } from '../components/empty-state';
import { InlineError } from '../components/inline-error';
import { ProgressBar } from '../components/progress-bar';
import { useAsyncAction } from '../components/use-async-action';
import { formatMs, formatUsd, formatUtc, formatWhen } from '../format';
import { href, modelRoute, runRoute } from '../routing';
import { useActions, useApp } from '../state';
import { RegressionPanel } from './regression-panel';

function RunActions({ run }: { run: RunView }) {
  const { cancelRun, resumeRun } = useActions();
  if (run.status === 'running') {
    return (
      <button
        type="button"
        className="small"
        data-action="cancel-run"
        onClick={() => void cancelRun(run.id)}
      >
        Cancel
      </button>
    );
  }
  // A cancelled canary or probe resumes as an interrupted one does (the CLI's --resume too).
  const resumable =
    run.status === 'interrupted' || (run.status === 'cancelled' && RESUMABLE_KINDS.has(run.kind));
  if (resumable) {
    return (
      <button
        type="button"
        className="small primary"
        data-action="resume-run"
        onClick={() => void resumeRun(run.id)}
        title={
          run.status === 'cancelled'
            ? 'Sends the items the cancel stopped, on the same pinned versions'
            : 'Runs the items that did not finish, on the same pinned versions'
        }
      >
        Resume
      </button>
    );
  }
  return null;
}

function RunRow({ runId }: { runId: string }) {
  const run = useApp((state) => state.runsById[runId]);
  const waiting = useApp((state) => state.progressByRun[runId]?.waiting ?? null);
  if (!run) return null;
  return (
    <tr data-run-id={run.id} data-run-status={run.status} data-run-kind={run.kind}>
      <td>
        <a href={href(runRoute(run.id))} className="mono">
          {run.id}
        </a>
      </td>
      <td>{run.kind}</td>
      <td>
        <span
          className={`tag ${run.status === 'completed' ? 'ok' : run.status === 'failed' ? 'bad' : run.status === 'interrupted' ? 'warn' : ''}`}
        >
          {run.status}
        </span>
        {waiting && (
          <span className="tag warn" style={{ marginLeft: 4 }}>
            waiting: {waiting}
          </span>
        )}
      </td>
      <td>
        <div className="row">
          <ProgressBar progress={run} />
          <span className="small">
            {run.done}/{run.total} · {run.failed} failed
            {run.cancelled > 0 ? ` · ${run.cancelled} cancelled` : ''}
          </span>
        </div>
      </td>
      <td className="num">{formatUsd(run.costUsd)}</td>
      <td className="small">{run.models.length}</td>
      <td className="small muted" title={formatUtc(run.startedAt)}>
        {formatWhen(run.startedAt)}
      </td>
      <td>
        <RunActions run={run} />
      </td>
    </tr>
  );
}

/** A run's pinned versions, the models it ran first (the rest are fallbacks it could have used). */
function pinnedFirstRan(run: RunView): [string, number][] {
  const ran = new Set(run.models);
  return Object.entries(run.pinnedVersions).sort(([a], [b]) => Number(ran.has(b)) - Number(ran.has(a)));
}

const CALLS_PAGE = 200;
/** The most `calls.list` answers at once (its contract). */
const MAX_CALLS = 1000;

function RunCalls({ runId, done }: { runId: string; done: number }) {
  const { listCalls } = useActions();
  const calls = useAsyncAction(listCalls);
  const [items, setItems] = useState<CallSummaryView[]>([]);
  // The newest calls first, 200 at a time: "Show older" asks for more, up to the contract's 1000.
  const [limit, setLimit] = useState(CALLS_PAGE);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `done` is the trigger: the list refetches as calls land
  useEffect(() => {
    const timer = setTimeout(async () => {
      const result = await calls.run({ runId, limit });
      if (result) {
        setItems(result);
        setFetchedLimit(limit);
      } else {
        // A failed page: back to what is shown, so the button asks again (the error says why).
        setLimit((current) => (current > CALLS_PAGE ? current - CALLS_PAGE : current));
      }
    }, 300);
    return () => clearTimeout(timer);
  }, [runId, done, limit, calls.run]);
  // Judged on the page that was fetched, so the button does not vanish while an older one loads.
  const [fetchedLimit, setFetchedLimit] = useState(CALLS_PAGE);
  const truncated = items.length === fetchedLimit;
  return (
    <section className="card">
      <h2>
        Calls ({items.length}
        {truncated ? `, newest ${fetchedLimit}` : ''})
      </h2>
      <InlineError error={calls.error} title="Could not list the calls" />
      <div className="table-scroll">
        <table className="table">
          <thead>
            <tr>
              <th>Model</th>
              <th>Fixture</th>
              <th>Result</th>
              <th className="num">Latency</th>
              <th className="num">Cost</th>
            </tr>
          </thead>
          <tbody>
            {items.map((call) => (
              <tr key={call.id}>
                <td>
                  <a href={href(modelRoute(call.intendedModel))}>{call.intendedModel}</a>
                  {call.actualModel !== call.intendedModel && (
                    <span className="small muted"> → {call.actualModel}</span>
                  )}
                </td>
                <td className="small mono">{call.fixtureId}</td>
                <td>
                  {call.status === 'success' ? (
                    <span className="tag ok">parsed</span>
                  ) : (
                    <span className="tag bad">{call.errorClass ?? 'failed'}</span>
                  )}
                </td>
                <td className="num">{formatMs(call.latencyMs)}</td>
                <td className="num">{formatUsd(call.costUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {truncated && fetchedLimit < MAX_CALLS && (
        <button
          type="button"
          className="small"
          data-action="older-calls"
          disabled={calls.pending || limit > fetchedLimit}
          onClick={() => setLimit((current) => Math.min(MAX_CALLS, current + CALLS_PAGE))}
        >
          Show {Math.min(CALLS_PAGE, MAX_CALLS - fetchedLimit)} older calls
        </button>
      )}
      {truncated && fetchedLimit >= MAX_CALLS && (
        <div className="muted small">
          The newest {MAX_CALLS} only: every call is in the workspace's fleetdeck.sqlite and
          logs/fleetdeck.log.
        </div>
      )}
    </section>
  );
}

function RunDetail({ runId }: { runId: string }) {
  const run = useApp((state) => state.runsById[runId]);
  const error = useApp((state) => state.runsError);
  const waiting = useApp((state) => state.progressByRun[runId]?.waiting ?? null);
  const { loadRun } = useActions();
  useEffect(() => {
    void loadRun(runId);
  }, [runId, loadRun]);
  if (!run && error?.code === 'not_found')
    // The generic not-found hint speaks of the fleet; a run id that main does not know is a
    // mistyped or old link, or a run that was deleted.
    return (
      <div
        className="inline-error"
        role="alert"
        data-error-code="not_found"
        data-run-missing={runId}
      >
        <strong>
          Run <span className="mono">{runId}</span> does not exist
        </strong>{' '}
        (or it was deleted).
        <div className="row small" style={{ marginTop: 6 }}>
          <a href={href(runRoute(null))}>Back to Runs</a>
        </div>
      </div>
    );
  if (!run)
    return error ? (
      <InlineError
        error={error}
        title={`Could not load ${runId}`}
        onRetry={() => void loadRun(runId)}
      />
    ) : (
      <div className="muted">Loading {runId}…</div>
    );
  return (
    <div className="stack" data-run-detail={run.id} data-run-status={run.status}>
      <section className="card stack">
        <div className="row">
          <h2 style={{ margin: 0 }}>
            {run.kind} · <span className="mono">{run.id}</span>
          </h2>
          <span className="tag">{run.status}</span>
          <span className="grow" style={{ flex: 1 }} />
          <RunActions run={run} />
        </div>
        <div className="row">
          <ProgressBar progress={run} />
          <span className="small">
            {run.done} of {run.total} done · {run.succeeded} ok
            {run.viaFallback > 0 && (
              <span data-run-via-fallback={run.viaFallback}>
                {' '}
                ({run.viaFallback} by a fallback model)
              </span>
            )}{' '}
            · {run.failed} failed ·{' '}
            {run.cancelled > 0 ? `${run.cancelled} cancelled · ` : ''}
            {formatUsd(run.costUsd)}
          </span>
          {waiting && <span className="tag warn">waiting: {waiting}</span>}
        </div>
        <div className="small muted">
          Task {run.task} · started {formatUtc(run.startedAt)}
          {run.finishedAt ? ` · finished ${formatUtc(run.finishedAt)}` : ''} · pinned versions:{' '}
          <span data-pinned-versions>
            {pinnedFirstRan(run)
              .slice(0, 12)
              .map(([model, version]) => `${model} v${version}`)
              .join(', ')}
            {Object.keys(run.pinnedVersions).length > 12 ? ', …' : ''}
          </span>
        </div>
        {run.kind === 'compare' && (
          <a href={`#/compare/${encodeURIComponent(run.id)}`}>Open as a side-by-side table</a>
        )}
      </section>
      {run.kind === 'regression' && <RegressionPanel runId={run.id} />}
      {/* Keyed: another run starts from its own newest calls, not the last run's page count. */}
      <RunCalls key={run.id} runId={run.id} done={run.done} />
    </div>
  );
}

export default function RunsPage({ runId }: { runId: string | null }) {
  const runIds = useApp((state) => state.runIds);
  const status = useApp((state) => state.runsStatus);
  const error = useApp((state) => state.runsError);
  const { loadRuns } = useActions();
  // Again on the way back from a run (which may have failed to load): the list clears that error.
  // biome-ignore lint/correctness/useExhaustiveDependencies: `runId` is the trigger
  useEffect(() => {
    void loadRuns();
  }, [loadRuns, runId]);
  return (
    <div className="page" data-page="runs">
      <div className="page-head">
        <h1>Runs</h1>
        {runId && <a href={href(runRoute(null))}>← all runs</a>}
      </div>
      {runId ? (
        <RunDetail runId={runId} />
      ) : (
        <>
          <InlineError
            error={error}
            title="Could not list the runs"
            onRetry={() => void loadRuns()}
          />
          {runIds.length === 0 && status === 'ready' ? (
            <EmptyState
              title="No runs yet"
              testId="runs"
              action={<a href="#/fleet">Go to the Fleet and run a canary</a>}
            >
              Canaries, regression gates and side-by-side runs show up here with live progress; you
              can cancel a running one and resume one that was interrupted or cancelled.
            </EmptyState>
          ) : (
            <section className="card table-scroll">
              <table className="table" data-runs={runIds.length}>
                <thead>
                  <tr>
                    <th>Run</th>
                    <th>Kind</th>
                    <th>Status</th>
                    <th>Progress</th>
                    <th className="num">Cost</th>
                    <th>Models</th>
                    <th>Started</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {runIds.map((id) => (
                    <RunRow key={id} runId={id} />
                  ))}
                </tbody>
              </table>
            </section>
          )}
        </>
      )}
    </div>
  );
}
