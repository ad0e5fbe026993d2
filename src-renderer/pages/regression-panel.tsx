import { useEffect } from 'react';
import type { RegressionReportView } from '../../src-shared/ipc';
import { InlineError } from '../components/inline-error';
import { ProgressBar } from '../components/progress-bar';
import { useAsyncAction } from '../components/use-async-action';
import { formatPercent } from '../format';
import { href, modelRoute, runRoute } from '../routing';
import { useActions, useApp } from '../state';

const VERDICT_TAG = {
  ok: 'ok',
  fixed: 'ok',
  regression: 'bad',
  still_failing: 'warn',
  new: '',
  untested: 'warn',
} as const;

type GateModel = RegressionReportView['models'][number];

/**
 * The verdict in words. A model that never ran cleanly stays `still_failing` when it answers
 * every fixture but trips a quality check; "still failing" would contradict its 100%, so the tag
 * names the check's finding instead (the warning line below says which).
 */
function verdictLabel(model: GateModel): string {
  if (model.verdict === 'still_failing' && model.successRate === 1 && model.warnings.length > 0)
    return 'quality warning';
  return model.verdict.replace('_', ' ');
}

/** A regression gate run: live progress, then each model against its baseline, and the rollback. */
export function RegressionPanel({ runId }: { runId: string }) {
  const run = useApp((state) => state.runsById[runId]);
  const waiting = useApp((state) => state.progressByRun[runId]?.waiting ?? null);
  const report = useApp((state) => state.regressionReports[runId]);
  const { loadRegressionReport, rollbackRegression, loadRun } = useActions();
  const rollback = useAsyncAction(rollbackRegression);
  const finished = run !== undefined && run.status !== 'running';

  useEffect(() => {
    if (run === undefined) void loadRun(runId);
  }, [run, runId, loadRun]);
  // Once the run is over, read its report (again while it still says running); a failed read
  // waits for the operator's Retry instead of looping.
  const reportStale =
    report === undefined || (report.status === 'ready' && report.data?.status === 'running');
  useEffect(() => {
    if (finished && reportStale) void loadRegressionReport(runId);
  }, [finished, reportStale, runId, loadRegressionReport]);

  const data = report?.data ?? null;
  const status = finished ? (data?.status ?? 'loading') : 'running';
  return (
    <section className="card stack" data-regression-run={runId} data-regression-status={status}>
      <div className="row">
        <h2 style={{ margin: 0 }}>Regression gate</h2>
        <a href={href(runRoute(runId))} className="small">
          {runId}
        </a>
        {data && <span className="muted small">{data.change}</span>}
        {status === 'passed' && <span className="tag ok">passed</span>}
        {status === 'regressed' && <span className="tag bad">regressed</span>}
        {status === 'incomplete' && (
          <span className="tag warn" title="No regression, but some fixtures were refused before they were sent">
            incomplete
          </span>
        )}
        {status === 'cancelled' && <span className="tag">cancelled</span>}
      </div>
      {run && !finished && (
        <div className="row small">
          <ProgressBar progress={run} />
          <span>
            {run.done} / {run.total} calls
          </span>
          {waiting && <span className="tag warn">waiting: {waiting}</span>}
        </div>
      )}
      <InlineError
        error={report?.error}
        title="Could not read the regression report"
        onRetry={() => void loadRegressionReport(runId)}
      />
      {data && finished && (
        <>
          {data.models.some((model) => model.unsent > 0) && (
            <div className="banner warn small" data-gate-untested={data.untested.join(',')}>
              Incomplete: fixtures were refused before they were sent (a missing key, an open
              circuit or the budget) to{' '}
              {data.models
                .filter((model) => model.unsent > 0)
                .map((model) => `${model.modelId} (${model.unsent} not sent)`)
                .join(', ')}
              . The gate proves nothing about what it did not send; see the run's calls for why.
            </div>
          )}
          {data.regressions.length > 0 && (
            <div className="inline-error" data-regressions={data.regressions.join(',')}>
              <strong>
                {data.regressions.length} model{data.regressions.length === 1 ? '' : 's'} regressed:
              </strong>{' '}
              {data.regressions.join(', ')}. Roll the change back, or fix the models first.
            </div>
          )}
          <table className="table">
            <thead>
              <tr>
                <th>Model</th>
                <th className="num">Baseline</th>
                <th className="num">With the change</th>
                <th>Verdict</th>
              </tr>
            </thead>
            <tbody>
              {data.models.map((model) => (
                <tr
                  key={model.modelId}
                  data-regression-model={model.modelId}
                  data-verdict={model.verdict}
                >
                  <td>
                    <a href={href(modelRoute(model.modelId))}>{model.modelId}</a>
                  </td>
                  <td className="num">{formatPercent(model.baselineSuccessRate, 0)}</td>
                  <td className="num">{formatPercent(model.successRate, 0)}</td>
                  <td>
                    <span className={`tag ${VERDICT_TAG[model.verdict]}`}>
                      {verdictLabel(model)}
                    </span>
                    {model.warnings.length > 0 && (
                      <div className="muted small" data-regression-warnings>
                        {model.warnings.join('; ')}
                      </div>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {data.rollback && !rollback.result && (
            <div className="row">
              <button
                type="button"
                className="primary"
                data-action="rollback-regression"
                disabled={rollback.pending}
                onClick={() => void rollback.run(runId)}
              >
                Roll back {data.rollback.kind} {data.rollback.name} to v{data.rollback.toVersion}
              </button>
              <span className="muted small">
                Writes a new version equal to v{data.rollback.toVersion}; nothing is deleted.
              </span>
            </div>
          )}
          {rollback.result && (
            <div
              className="banner"
              data-rolled-back={`${rollback.result.kind}:${rollback.result.name}:${rollback.result.version}`}
            >
              Rolled back: {rollback.result.kind} {rollback.result.name} is now v
              {rollback.result.version}.
            </div>
          )}
          <InlineError error={rollback.error} title="Rollback failed" />
        </>
      )}
    </section>
  );
}
