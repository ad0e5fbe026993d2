import { useEffect, useState } from 'react';
import { useChartColors } from '../components/charts';
import { InlineError } from '../components/inline-error';
import { formatPercent, formatUsd } from '../format';
import { navigate } from '../routing';
import { useActions, useApp } from '../state';
import {
  CostPerSuccessChart,
  DailySpendChart,
  ProjectionChart,
  SpendByModelChart,
  TimeoutTierChart,
  TokensChart,
  TtftChart,
} from './budget-charts';

const WINDOWS = [7, 14, 30, 90];

/** Share of the current UTC day gone by: where spend "should" be on a straight pace. */
function dayElapsedShare(now: Date): number {
  return (now.getUTCHours() * 3600 + now.getUTCMinutes() * 60 + now.getUTCSeconds()) / 86_400;
}

function TodayCard({
  spent,
  reserved,
  budget,
}: {
  spent: number;
  reserved: number;
  budget: number;
}) {
  const pace = dayElapsedShare(new Date());
  const scale = Math.max(budget, spent + reserved) || 1;
  const over = spent > budget;
  return (
    <section className="card stack" data-today-spent={spent}>
      <h2>Today (UTC)</h2>
      <div className="row">
        <span className="coverage" style={{ color: over ? 'var(--bad)' : undefined }}>
          {formatUsd(spent)}
        </span>
        <span className="muted">
          of {formatUsd(budget)} · {formatUsd(reserved)} reserved by running calls
        </span>
      </div>
      <div
        style={{
          position: 'relative',
          height: 14,
          background: 'var(--surface-3)',
          borderRadius: 4,
          overflow: 'hidden',
        }}
      >
        <span
          style={{
            position: 'absolute',
            left: 0,
            top: 0,
            bottom: 0,
            width: `${(spent / scale) * 100}%`,
            background: over ? 'var(--bad)' : 'var(--accent)',
          }}
        />
        <span
          style={{
            position: 'absolute',
            left: `${(spent / scale) * 100}%`,
            top: 0,
            bottom: 0,
            width: `${(reserved / scale) * 100}%`,
            background: 'var(--warn)',
            opacity: 0.6,
          }}
        />
        <span
          title="straight pace: budget × share of the day gone"
          style={{
            position: 'absolute',
            left: `${((budget * pace) / scale) * 100}%`,
            top: -2,
            bottom: -2,
            width: 2,
            background: 'var(--text)',
          }}
        />
      </div>
      <div className="small muted">
        The thin vertical mark is the straight pace ({formatPercent(pace, 0)} of the day gone).
      </div>
    </section>
  );
}

export default function BudgetPage({ days, volume }: { days: number; volume: number }) {
  const budget = useApp((state) => state.budget);
  const query = useApp((state) => state.budgetQuery);
  const stale = useApp((state) => state.budgetStale);
  const { loadBudget } = useActions();
  const colors = useChartColors();
  const [volumeText, setVolumeText] = useState(String(volume));

  useEffect(() => {
    if (stale || query === null || query.days !== days || query.volume !== volume)
      void loadBudget(days, volume);
  }, [days, volume, stale, query, loadBudget]);
  useEffect(() => setVolumeText(String(volume)), [volume]);

  const view = budget.data;
  const applyVolume = () => {
    const next = Number(volumeText);
    if (Number.isInteger(next) && next >= 1 && next <= 100_000_000)
      navigate({ page: 'budget', days, volume: next }, { replace: true });
  };
  return (
    <div
      className="page"
      data-page="budget"
      data-budget-state={budget.status === 'ready' && view ? 'ready' : budget.status}
    >
      <div className="page-head">
        <h1>Budget</h1>
        <fieldset className="seg" aria-label="Window">
          {WINDOWS.map((window) => (
            <button
              key={window}
              type="button"
              aria-pressed={window === days}
              onClick={() => navigate({ page: 'budget', days: window, volume }, { replace: true })}
            >
              {window} days
            </button>
          ))}
        </fieldset>
        <span className="muted small">
          All days are UTC days; money in USD; unpriced models are marked, never counted as $0.
        </span>
      </div>
      <InlineError
        error={budget.error}
        title="Could not load the budget figures"
        onRetry={() => void loadBudget(days, volume)}
      />
      {view && (
        <>
          <div className="kpis">
            <div className="kpi">
              <div className="value">
                {formatUsd(view.daily.reduce((sum, day) => sum + day.spentUsd, 0))}
              </div>
              <div className="label">spent in the last {view.windowDays} days</div>
            </div>
            <div className="kpi">
              <div className="value">{formatPercent(view.fallbackShare)}</div>
              <div className="label">of spend went to fallbacks</div>
            </div>
            <div className="kpi">
              <div className="value">{formatUsd(view.fleetMedianCostPerSuccessUsd)}</div>
              <div className="label">fleet median cost per success</div>
            </div>
            <div className="kpi">
              <div className="value">
                {view.daily.reduce((sum, day) => sum + day.failedCalls, 0).toLocaleString('en-US')}
              </div>
              <div className="label">failed calls paid for</div>
            </div>
          </div>
          <div className="cards">
            <TodayCard
              spent={view.today.spentUsd}
              reserved={view.today.reservedUsd}
              budget={view.dailyBudgetUsd}
            />
            <section className="card stack">
              <h2>Projection</h2>
              <div className="row">
                <label className="row small">
                  Predictions per day
                  <input
                    type="number"
                    min={1}
                    value={volumeText}
                    onChange={(event) => setVolumeText(event.target.value)}
                    onBlur={applyVolume}
                    onKeyDown={(event) => event.key === 'Enter' && applyVolume()}
                    style={{ width: 120 }}
                    data-field="volume"
                  />
                </label>
                <span className="small">
                  p50 <strong>{formatUsd(view.projection.p50Usd)}</strong> · p99{' '}
                  <strong>{formatUsd(view.projection.p99Usd)}</strong> a day vs{' '}
                  {formatUsd(view.projection.budgetUsd)}
                </span>
              </div>
            </section>
          </div>
          <div className="cards">
            <DailySpendChart view={view} colors={colors} />
            <ProjectionChart view={view} colors={colors} />
            <SpendByModelChart view={view} colors={colors} />
            <CostPerSuccessChart view={view} colors={colors} />
            <TokensChart view={view} colors={colors} />
            <TimeoutTierChart view={view} colors={colors} />
            <TtftChart view={view} colors={colors} />
          </div>
        </>
      )}
      {!view && budget.status !== 'error' && <div className="muted">Loading…</div>}
    </div>
  );
}
