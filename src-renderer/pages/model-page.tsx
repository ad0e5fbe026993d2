import { useEffect, useState } from 'react';
import type { ModelDetailView } from '../../src-shared/ipc';
import { EmptyState } from '../components/empty-state';
import { InlineError } from '../components/inline-error';
import { StatusChip } from '../components/status-chip';
import { useAsyncAction } from '../components/use-async-action';
import { formatCostPerSuccess, formatCount, formatMs, formatPercent, formatUtc, formatWhen } from '../format';
import { timeoutTierLabel } from '../../src-shared/lifecycle';
import { fleetRoute, href, runRoute } from '../routing';
import { useActions, useApp } from '../state';
import type { Verdict } from '../state/model-slice';
import { ModelCalls } from './model-calls';
import { ModelConfigEditor } from './model-config-editor';
import { ModelHistory } from './model-history';

type Tab = 'config' | 'history' | 'calls' | 'errors';

function VerdictControls({ detail }: { detail: ModelDetailView }) {
  const { setVerdict, enableModel } = useActions();
  const verdictAction = useAsyncAction(setVerdict);
  const enableAction = useAsyncAction(enableModel);
  const [reason, setReason] = useState('');
  const current = detail.verdict.status;
  const mark = (verdict: Verdict) =>
    void verdictAction.run(detail.row.id, verdict, reason.trim() || undefined);
  return (
    <div className="stack">
      <div className="row">
        <input
          placeholder="Reason (shown on the row)"
          value={reason}
          onChange={(event) => setReason(event.target.value)}
          aria-label="Verdict reason"
          style={{ minWidth: 220 }}
        />
        {current !== 'active' && (
          <button type="button" onClick={() => mark('active')} disabled={verdictAction.pending}>
            Mark active
          </button>
        )}
        {current !== 'inactive' && (
          <button
            type="button"
            onClick={() => mark('inactive')}
            disabled={verdictAction.pending}
            title="Leaves the coverage figures"
          >
            Mark inactive
          </button>
        )}
        {current !== 'unfixable' && (
          <button
            type="button"
            className="danger"
            onClick={() => mark('unfixable')}
            disabled={verdictAction.pending}
            title="Stays active, leaves the coverage denominator"
          >
            Mark unfixable
          </button>
        )}
        {detail.health.disabled && (
          <button
            type="button"
            className="primary"
            onClick={() => void enableAction.run(detail.row.id)}
            disabled={enableAction.pending}
          >
            Re-enable
          </button>
        )}
      </div>
      <InlineError error={verdictAction.error} title="The verdict was not saved" />
      <InlineError error={enableAction.error} title="Re-enabling failed" />
    </div>
  );
}

function ErrorsAndFixes({ detail }: { detail: ModelDetailView }) {
  const errors = Object.entries(detail.errorBreakdown).sort((left, right) => right[1] - left[1]);
  const totalErrors = errors.reduce((sum, [, count]) => sum + count, 0);
  return (
    <div className="cards">
      <section className="card" data-error-breakdown={errors.length}>
        <h2>Errors by class</h2>
        <div className="chart-caption">Failed calls of the recent calls, all config versions</div>
        {errors.length === 0 ? (
          <div className="muted small">No failed calls.</div>
        ) : (
          <div className="stack">
            {errors.map(([errorClass, count]) => (
              <div key={errorClass} className="row small">
                <span style={{ width: 140 }} className="mono">
                  {errorClass}
                </span>
                <span className="progress" style={{ flex: 1 }}>
                  <span className="bad" style={{ width: `${(count / totalErrors) * 100}%` }} />
                </span>
                <span className="num" style={{ width: 40 }}>
                  {count}
                </span>
              </div>
            ))}
          </div>
        )}
      </section>
      <section className="card">
        <h2>Fix attempts</h2>
        <div className="chart-caption">Each saved config version and how its calls did</div>
        {detail.fixAttempts.length === 0 ? (
          <div className="muted small">
            No fix attempts yet: change the config (Config tab) with a note saying what it tries.
          </div>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Version</th>
                <th>Note</th>
                <th className="num">Success</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {detail.fixAttempts.map((attempt) => (
                <tr key={attempt.version}>
                  <td>v{attempt.version}</td>
                  <td>{attempt.note}</td>
                  <td className="num">
                    {formatPercent(attempt.successRate, 0)} of {attempt.calls}
                  </td>
                  <td className="small muted">{formatUtc(attempt.at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card">
        <h2>Success by timeout tier</h2>
        <div className="chart-caption">
          This model's recent calls grouped by the timeout they ran with, in the tiers the seeds
          measure escalation by (≤ 30 s, 31–45 s, 46–60 s, 61–90 s)
        </div>
        {detail.timeoutTiers.length === 0 ? (
          <div className="muted small">No calls yet.</div>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Timeout</th>
                <th className="num">Calls</th>
                <th className="num">Success</th>
                <th className="num">Cost/success</th>
              </tr>
            </thead>
            <tbody>
              {detail.timeoutTiers.map((tier) => (
                <tr key={tier.tierMs}>
                  <td>{timeoutTierLabel(tier.tierMs)}</td>
                  <td className="num">{tier.calls}</td>
                  <td className="num">{formatPercent(tier.successRate, 0)}</td>
                  <td className="num">
                    {formatCostPerSuccess(tier.successRate, tier.costPerSuccessUsd, {
                      unpriced: detail.row.unpriced,
                    })}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

export default function ModelPage({ modelId }: { modelId: string }) {
  const entry = useApp((state) => state.modelDetails[modelId]);
  const runningRun = useApp((state) => state.runningModels[modelId] ?? null);
  const { loadModel, startCanary } = useActions();
  const canary = useAsyncAction(async () => startCanary([modelId]));
  const [tab, setTab] = useState<Tab>('config');

  useEffect(() => {
    void loadModel(modelId);
  }, [modelId, loadModel]);

  const detail = entry?.data ?? null;
  if (!detail) {
    return (
      <div className="page" data-page="model" data-model-state={entry?.status ?? 'loading'}>
        <a href={href(fleetRoute())}>← Fleet</a>
        {entry?.status === 'error' ? (
          <InlineError
            error={entry.error}
            title={`Could not load ${modelId}`}
            onRetry={() => void loadModel(modelId)}
          />
        ) : (
          <div className="muted">Loading {modelId}…</div>
        )}
      </div>
    );
  }
  const { row } = detail;
  // A rollback writes a new version equal to an old one: the figures count the calls of every
  // version with the current config, so the label names them (History counts each version alone).
  const sameConfig = detail.sameConfigVersions;
  return (
    <div
      className="page"
      data-page="model"
      data-model-state="ready"
      data-model-id={modelId}
      data-row-status={row.status}
    >
      <div className="page-head">
        <div className="stack" style={{ gap: 4 }}>
          <a href={href(fleetRoute())} className="small">
            ← Fleet
          </a>
          <div className="row">
            <h1>{row.id}</h1>
            <StatusChip status={row.status} reason={row.reason} running={runningRun !== null} />
            {row.premium && <span className="tag">premium</span>}
            {row.unpriced && <span className="tag warn">unpriced</span>}
            {row.simulated && <span className="tag">simulated</span>}
          </div>
          <div className="muted small">
            {row.provider} · <span className="mono">{row.providerModelId}</span>
            {row.family ? ` · ${row.family}` : ''}
            {row.parameterSizeB ? ` · ${row.parameterSizeB}B` : ''}
            {detail.pricing
              ? ` · $${detail.pricing.promptPer1M}/M in, $${detail.pricing.completionPer1M}/M out`
              : ' · no price: costs show as unpriced, never $0'}
            {row.reason ? ` · ${row.reason}` : ''}
          </div>
        </div>
        <span className="grow" />
        {runningRun && <a href={href(runRoute(runningRun))}>Running: {runningRun}</a>}
        <button
          type="button"
          className="primary"
          data-action="model-canary"
          onClick={() => void canary.run()}
          disabled={canary.pending || runningRun !== null || !row.active}
        >
          Canary this model
        </button>
      </div>
      <InlineError error={canary.error} title="The canary did not start" />
      {detail.unfixableSuggestion && row.status !== 'unfixable' && (
        <div className="banner warn">
          <strong>Fleetdeck suggests calling this model unfixable:</strong>
          <ul style={{ margin: '4px 0 0 18px', padding: 0 }}>
            {detail.unfixableSuggestion.reasons.map((reason) => (
              <li key={reason}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
      {detail.health.disabled && (
        <div className="banner warn">
          {/* The stored reason already says how it was disabled ("auto-disabled after 5 …"). */}
          {detail.health.reason
            ? `${detail.health.reason.charAt(0).toUpperCase()}${detail.health.reason.slice(1).replace(/\.$/, '')}`
            : `Auto-disabled after ${detail.health.consecutiveFailures} consecutive failures`}
          . Fix the config, then re-enable it below.
        </div>
      )}
      <div className="kpis">
        <div className="kpi">
          <div className="value">{formatPercent(row.successRate)}</div>
          <div className="label">
            success, {formatCount(row.calls)} recent calls on v{row.configVersion}
            {sameConfig.length > 0 && (
              <span data-same-config={sameConfig.join(',')}>
                {' '}
                and {sameConfig.map((version) => `v${version}`).join(', ')} (the same config)
              </span>
            )}
          </div>
        </div>
        <div className="kpi">
          <div className="value">{formatMs(row.p50LatencyMs)}</div>
          <div className="label">p50 latency</div>
        </div>
        <div className="kpi">
          <div className="value" data-kpi="cost-per-success">
            {row.calls === 0
              ? '—'
              : formatCostPerSuccess(row.successRate, row.costPerSuccessUsd, {
                  unpriced: row.unpriced,
                })}
          </div>
          <div className="label">cost per successful prediction</div>
        </div>
        <div className="kpi">
          <div className="value">{formatWhen(row.lastValidated)}</div>
          {/* As the grid's "Last canary": the last run that tested this config, whatever its result. */}
          <div className="label" title="When a run last tested this config version, whatever the result">
            last canary on v{row.configVersion}
          </div>
        </div>
        <div className="kpi">
          <div className="value">{detail.verdict.status}</div>
          <div className="label">
            verdict{detail.verdict.reason ? `: ${detail.verdict.reason}` : ''}
          </div>
        </div>
      </div>
      <VerdictControls detail={detail} />
      <div className="tabs" role="tablist">
        {(
          [
            ['config', 'Config'],
            ['history', `History (${detail.versions.length})`],
            ['calls', `Recent calls (${detail.recentCalls.length})`],
            ['errors', 'Errors and fixes'],
          ] as [Tab, string][]
        ).map(([name, label]) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={tab === name}
            onClick={() => setTab(name)}
            data-tab={name}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'config' && <ModelConfigEditor detail={detail} />}
      {tab === 'history' && <ModelHistory detail={detail} />}
      {tab === 'calls' && <ModelCalls detail={detail} />}
      {tab === 'errors' &&
        (row.calls === 0 && detail.fixAttempts.length === 0 ? (
          <EmptyState title="Nothing to break down yet" testId="errors">
            Run a canary for this model to see which error classes it hits.
          </EmptyState>
        ) : (
          <ErrorsAndFixes detail={detail} />
        ))}
    </div>
  );
}
