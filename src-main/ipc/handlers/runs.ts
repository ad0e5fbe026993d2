import { RESUMABLE_KINDS } from '../../../src-shared/domain';
import { InputError, NotFoundError } from '../../../src-shared/errors';
import type { RunView } from '../../../src-shared/ipc';
import { microsToUsd } from '../../../src-shared/money';
import { runCanary } from '../../services/canary';
import type { EngineHost } from '../../services/engine-host';
import type { StoredRun } from '../../store';
import type { Handler } from '../types';

interface RunTotals {
  run_id: string;
  done: number;
  succeeded: number;
  via_fallback: number;
  cost: number;
}

/** Finished items, successes and spend per run, in one query over the runs asked for. */
function totalsOf(host: EngineHost, runIds: readonly string[]): Map<string, RunTotals> {
  if (runIds.length === 0) return new Map();
  const rows = host.workspace.db
    .prepare(
      `SELECT run_id, COALESCE(SUM(final), 0) AS done,
              COALESCE(SUM(CASE WHEN final = 1 AND status = 'success' THEN 1 ELSE 0 END), 0) AS succeeded,
              COALESCE(SUM(CASE WHEN final = 1 AND status = 'success' AND fallback_depth > 0 THEN 1 ELSE 0 END), 0) AS via_fallback,
              COALESCE(SUM(cost_micros), 0) AS cost
       FROM call_records WHERE run_id IN (${runIds.map(() => '?').join(', ')}) GROUP BY run_id`,
    )
    .all(...runIds) as RunTotals[];
  return new Map(rows.map((row) => [row.run_id, row]));
}

function toRunView(run: StoredRun, totals: RunTotals | undefined): RunView {
  const decided = totals?.done ?? 0;
  const succeeded = totals?.succeeded ?? 0;
  // A cancelled attempt is never its item's final record, and an item never sent has none: in a
  // cancelled run every item without a final record is one the cancel stopped, as its live
  // progress counted it ("840 done, 838 cancelled" reads the same after a reload). An
  // interrupted run's unfinished items are not cancelled but still to do: a resume sends them.
  const cancelled = run.status === 'cancelled' ? Math.max(0, run.items.length - decided) : 0;
  const done = decided + cancelled;
  return {
    id: run.id,
    kind: run.kind,
    task: run.task,
    status: run.status,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    total: run.items.length,
    done,
    succeeded,
    viaFallback: totals?.via_fallback ?? 0,
    failed: done - succeeded - cancelled,
    cancelled,
    costUsd: microsToUsd(totals?.cost ?? 0),
    models: [...new Set(run.items.map((item) => item.modelId))],
    pinnedVersions: run.pinnedVersions,
  };
}

export function runView(host: EngineHost, runId: string): RunView {
  const run = host.runs.getRun(runId);
  if (!run) throw new NotFoundError(`no run ${runId}`);
  return toRunView(run, totalsOf(host, [runId]).get(runId));
}

export const listRuns: Handler<'runs.list'> = async (input, { host }) => {
  const runs = host.runs.listRuns(input.limit);
  const totals = totalsOf(
    host,
    runs.map((run) => run.id),
  );
  return runs.map((run) => toRunView(run, totals.get(run.id)));
};

export const getRun: Handler<'runs.get'> = async (input, { host }) => runView(host, input.runId);

/** One-click canary in the background; answers as soon as the run exists. */
export const startCanary: Handler<'runs.startCanary'> = async (input, { host, runs }) =>
  runs.start('canary', (signal, onEvent) =>
    runCanary(host, {
      models: input.models,
      fixtures: input.fixtures,
      concurrency: input.concurrency,
      signal,
      onEvent,
    }),
  );

export const cancelRun: Handler<'runs.cancel'> = async (input, { host, runs }) => {
  if (runs.cancel(input.runId)) return { ok: true };
  const run = host.runs.getRun(input.runId);
  if (!run) throw new NotFoundError(`no run ${input.runId}`);
  throw new InputError(`run ${input.runId} is ${run.status}, not running in this console`);
};


/** Continues an interrupted or cancelled canary: only its unfinished items are sent. */
export const resumeRun: Handler<'runs.resume'> = async (input, { host, runs }) => {
  const run = host.runs.getRun(input.runId);
  if (!run) throw new NotFoundError(`no run ${input.runId}`);
  if (runs.isRunning(run.id)) throw new InputError(`run ${run.id} is already running`);
  if (!RESUMABLE_KINDS.has(run.kind))
    throw new InputError(`${run.kind} runs cannot be resumed: start a new one`);
  return runs.start(run.kind, (signal, onEvent) =>
    runCanary(host, {
      models: undefined,
      fixtures: 1,
      concurrency: 8,
      resumeRunId: run.id,
      kind: run.kind as 'canary' | 'probe',
      signal,
      onEvent,
    }),
  );
};
