import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ComposedChart,
  Legend,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { BudgetView } from '../../src-shared/ipc';
import { ChartFrame, type ChartColors } from '../components/charts';
import { formatMs, formatTokens, formatUsd } from '../format';
import { timeoutTierLabel } from '../../src-shared/lifecycle';

const TOP = 15;
const usdTick = (value: number) => formatUsd(value);
const SHORT_ID = 22;
/**
 * Axis ticks only: the data keep the full id, so the tooltip names the model unambiguously. The
 * ellipsis goes in the middle: ids of one family share their start ("together/deepseek-r1-distill-
 * llama-70b" and "…-qwen-14b"), and their ends tell them apart.
 */
const shortId = (id: string) => {
  if (id.length <= SHORT_ID) return id;
  const head = Math.ceil((SHORT_ID - 1) / 2);
  return `${id.slice(0, head)}…${id.slice(id.length - (SHORT_ID - 1 - head))}`;
};

/** Model ids under a bar chart, slanted steeply enough that twenty neighbours do not overlap. */
const TICK_ANGLE = 50;
/** A 22-character id at 11 px is up to about 150 px long. */
const TICK_LABEL_PX = 150;
const ROTATED_TICKS = {
  angle: -TICK_ANGLE,
  textAnchor: 'end',
  interval: 0,
  height: Math.ceil(TICK_LABEL_PX * Math.sin((TICK_ANGLE * Math.PI) / 180)) + 8,
} as const;
const ROTATED_MARGIN = { top: 8, right: 12, bottom: 0 } as const;
/**
 * A slanted label ends at its bar, so the first one reaches left of the plot by cos(angle) × its
 * length: the left margin makes room for what the y axis does not cover.
 */
const rotatedLeftMargin = (yAxisWidth: number) =>
  Math.max(8, Math.ceil(TICK_LABEL_PX * Math.cos((TICK_ANGLE * Math.PI) / 180)) - yAxisWidth);
/** Room for the "10× median" label, so "median" sits beside it, not on it. */
const TEN_X_LABEL_WIDTH = 74;

function axisProps(colors: ChartColors) {
  return { stroke: colors.muted, tick: { fill: colors.muted, fontSize: 11 }, tickLine: false };
}

function tooltipProps(colors: ChartColors) {
  return {
    contentStyle: {
      background: colors.surface,
      border: `1px solid ${colors.border}`,
      color: colors.text,
      borderRadius: 6,
      fontSize: 12,
    },
    labelStyle: { color: colors.text },
    itemStyle: { color: colors.text },
    // recharts' hover band defaults to a light grey that glares on the dark theme.
    cursor: { fill: colors.cursor },
    isAnimationActive: false,
  } as const;
}

/** Spend per UTC day (fallback spend stacked), the daily budget line and the over-budget band. */
export function DailySpendChart({ view, colors }: { view: BudgetView; colors: ChartColors }) {
  const data = view.daily.map((day) => ({
    day: day.day.slice(5),
    direct: Math.max(0, day.spentUsd - day.fallbackUsd),
    fallback: day.fallbackUsd,
    failed: day.failedCalls,
    calls: day.calls,
  }));
  const maxSpend = Math.max(0, ...view.daily.map((day) => day.spentUsd));
  // Spend far below the budget would draw as flat bars under the budget line: scale to the spend
  // then, and say where the budget is instead of drawing it.
  const budgetOnScale = maxSpend >= view.dailyBudgetUsd * 0.1;
  const top =
    (budgetOnScale ? Math.max(view.dailyBudgetUsd * 1.25, maxSpend * 1.1) : maxSpend * 1.25) || 1;
  const hasSpend = view.daily.some((day) => day.calls > 0);
  return (
    <ChartFrame
      id="spend-daily"
      title="Daily spend against the budget"
      caption={`Last ${view.windowDays} days · UTC days · USD per day, every attempt counted (failed and retried too); fallback spend stacked on top${!hasSpend ? ' · no spend yet' : budgetOnScale ? '' : ` · the ${formatUsd(view.dailyBudgetUsd)} budget is off this scale (spend under 10% of it)`}`}
      points={hasSpend ? data.length : 0}
      empty="No spend in this window yet: run a canary from the Fleet page."
    >
      <ResponsiveContainer>
        <ComposedChart
          data={data}
          margin={{ top: 8, right: 12, bottom: 0, left: 8 }}
          syncId="budget"
        >
          <CartesianGrid stroke={colors.grid} vertical={false} />
          <XAxis dataKey="day" {...axisProps(colors)} />
          <YAxis {...axisProps(colors)} tickFormatter={usdTick} domain={[0, top]} width={64} />
          {budgetOnScale && (
            <>
              <ReferenceArea
                y1={view.dailyBudgetUsd}
                y2={top}
                fill={colors.band}
                ifOverflow="hidden"
              />
              <ReferenceLine
                y={view.dailyBudgetUsd}
                stroke={colors.bad}
                strokeDasharray="4 3"
                label={{
                  value: `budget ${formatUsd(view.dailyBudgetUsd)}`,
                  fill: colors.bad,
                  fontSize: 11,
                  position: 'insideTopRight',
                }}
              />
            </>
          )}
          <Tooltip
            {...tooltipProps(colors)}
            formatter={(value, name) => [
              name === 'failed' ? String(value) : formatUsd(Number(value)),
              String(name),
            ]}
          />
          <Legend wrapperStyle={{ fontSize: 12, color: colors.muted }} />
          <Bar
            dataKey="direct"
            name="direct"
            stackId="spend"
            fill={colors.series[0]}
            isAnimationActive={false}
          />
          <Bar
            dataKey="fallback"
            name="fallback"
            stackId="spend"
            fill={colors.series[1]}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function SpendByModelChart({ view, colors }: { view: BudgetView; colors: ChartColors }) {
  const data = [...view.byModel]
    .filter((model) => !model.unpriced && model.spentUsd > 0)
    .sort((left, right) => right.spentUsd - left.spentUsd)
    .slice(0, TOP)
    .map((model) => ({ model: model.modelId, spent: model.spentUsd }));
  const unpriced = view.byModel
    .filter((model) => model.unpriced && model.calls > 0)
    .map((model) => model.modelId);
  return (
    <ChartFrame
      id="spend-by-model"
      title="Spend by model"
      caption={`Last ${view.windowDays} days · UTC · USD, top ${TOP}${unpriced.length ? ` · unpriced (not counted): ${unpriced.join(', ')}` : ''}`}
      points={data.length}
      empty="No priced spend yet."
      height={Math.max(200, data.length * 22 + 30)}
    >
      <ResponsiveContainer>
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={colors.grid} horizontal={false} />
          <XAxis type="number" {...axisProps(colors)} tickFormatter={usdTick} />
          <YAxis
            type="category"
            dataKey="model"
            {...axisProps(colors)}
            tickFormatter={shortId}
            width={150}
            interval={0}
          />
          <Tooltip {...tooltipProps(colors)} formatter={(value) => formatUsd(Number(value))} />
          <Bar dataKey="spent" name="spent" fill={colors.series[0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

/** Cost per successful prediction per model, with the fleet median and the 10x line. */
export function CostPerSuccessChart({ view, colors }: { view: BudgetView; colors: ChartColors }) {
  const median = view.fleetMedianCostPerSuccessUsd;
  // A model that never answered itself says "no success" here as on the grid and its page, even
  // when its fallback answered for it: it is counted in the caption, not drawn as a bar.
  const data = view.byModel
    .filter((model) => model.costPerSuccessUsd !== null && !model.unpriced && model.ownSuccesses > 0)
    .sort((left, right) => (right.costPerSuccessUsd ?? 0) - (left.costPerSuccessUsd ?? 0))
    .slice(0, 20)
    .map((model) => ({
      model: model.modelId,
      cost: model.costPerSuccessUsd ?? 0,
      over: median !== null && (model.costPerSuccessUsd ?? 0) > 10 * median,
    }));
  const noSuccess = view.byModel
    .filter((model) => model.calls > 0 && model.ownSuccesses === 0)
    .map((model) => model.modelId);
  const top = Math.max(...data.map((entry) => entry.cost), median !== null ? median * 11 : 0) || 1;
  return (
    <ChartFrame
      id="cost-per-success"
      title="Cost per successful prediction"
      caption={`Last ${view.windowDays} days · UTC · spend ÷ successes (failed attempts included) · fleet median ${formatUsd(median)} and 10× line${noSuccess.length ? ` · no success of their own: ${noSuccess.length} models` : ''}`}
      points={data.length}
      empty="No successful priced predictions yet."
      height={320}
    >
      <ResponsiveContainer>
        <BarChart data={data} margin={{ ...ROTATED_MARGIN, left: rotatedLeftMargin(70) }}>
          <CartesianGrid stroke={colors.grid} vertical={false} />
          <XAxis
            dataKey="model"
            {...axisProps(colors)}
            {...ROTATED_TICKS}
            tickFormatter={shortId}
          />
          <YAxis {...axisProps(colors)} tickFormatter={usdTick} width={70} domain={[0, top]} />
          <Tooltip {...tooltipProps(colors)} formatter={(value) => formatUsd(Number(value))} />
          {median !== null && (
            <ReferenceLine
              y={median}
              stroke={colors.ok}
              strokeDasharray="4 3"
              // Beside the 10× label, never on it: the two lines are often a few pixels apart.
              label={{
                value: 'median',
                fill: colors.ok,
                fontSize: 11,
                position: 'insideBottomRight',
                dx: -TEN_X_LABEL_WIDTH,
              }}
            />
          )}
          {median !== null && (
            <ReferenceLine
              y={median * 10}
              stroke={colors.bad}
              strokeDasharray="4 3"
              label={{
                value: '10× median',
                fill: colors.bad,
                fontSize: 11,
                position: 'insideBottomRight',
              }}
            />
          )}
          <Bar dataKey="cost" name="cost per success" isAnimationActive={false}>
            {data.map((entry) => (
              <Cell key={entry.model} fill={entry.over ? colors.bad : colors.series[0]} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function TokensChart({ view, colors }: { view: BudgetView; colors: ChartColors }) {
  const data = view.byModel
    .filter((model) => model.p50Tokens !== null)
    .sort((left, right) => (right.p99Tokens ?? 0) - (left.p99Tokens ?? 0))
    .slice(0, 20)
    .map((model) => ({
      model: model.modelId,
      p50: model.p50Tokens,
      p99: model.p99Tokens,
    }));
  return (
    <ChartFrame
      id="tokens"
      title="Tokens per call, p50 and p99"
      caption={`Last ${view.windowDays} days · UTC · prompt + completion tokens per call; unknown counts left out (never 0)`}
      points={data.length}
      empty="No token counts yet."
      height={320}
    >
      <ResponsiveContainer>
        <BarChart data={data} margin={{ ...ROTATED_MARGIN, left: rotatedLeftMargin(56) }}>
          <CartesianGrid stroke={colors.grid} vertical={false} />
          <XAxis
            dataKey="model"
            {...axisProps(colors)}
            {...ROTATED_TICKS}
            tickFormatter={shortId}
          />
          <YAxis
            {...axisProps(colors)}
            tickFormatter={(value: number) => formatTokens(value)}
            width={56}
          />
          <Tooltip {...tooltipProps(colors)} formatter={(value) => formatTokens(Number(value))} />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="p50" name="p50" fill={colors.series[0]} isAnimationActive={false} />
          <Bar dataKey="p99" name="p99" fill={colors.series[3]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function TimeoutTierChart({ view, colors }: { view: BudgetView; colors: ChartColors }) {
  const data = view.timeoutTiers.map((tier) => ({
    tier: timeoutTierLabel(tier.tierMs),
    success: tier.successRate === null ? null : tier.successRate * 100,
    calls: tier.calls,
  }));
  // Every tier is listed whether or not it ran; only the tiers with calls are data.
  const tiersWithCalls = data.filter((tier) => tier.calls > 0).length;
  return (
    <ChartFrame
      id="timeout-tiers"
      title="Success by timeout tier"
      caption={`Last ${view.windowDays} days · UTC · share of calls that parsed, grouped by the timeout they ran with`}
      points={tiersWithCalls}
      empty="No calls in this window yet: run a canary from the Fleet page."
    >
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={colors.grid} vertical={false} />
          <XAxis dataKey="tier" {...axisProps(colors)} />
          <YAxis
            {...axisProps(colors)}
            domain={[0, 100]}
            tickFormatter={(value: number) => `${value}%`}
            width={44}
          />
          <Tooltip
            {...tooltipProps(colors)}
            formatter={(value, name, item) => [
              `${Number(value).toFixed(1)}% of ${item.payload.calls} calls`,
              String(name),
            ]}
          />
          <Bar dataKey="success" name="success" fill={colors.series[2]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

export function TtftChart({ view, colors }: { view: BudgetView; colors: ChartColors }) {
  const data = view.ttftByProvider
    .filter((provider) => provider.p50Ms !== null)
    .map((provider) => ({
      provider: provider.provider,
      p50: provider.p50Ms,
      p95: provider.p95Ms,
      calls: provider.calls,
    }));
  return (
    <ChartFrame
      id="ttft"
      title="Time to first token by provider"
      caption={`Last ${view.windowDays} days · UTC · p50 and p95 · streamed calls only (a whole reply has no first token of its own)`}
      points={data.length}
      empty="No streamed calls in this window: set a model's config to stream, then run a canary, to see its time to first token."
    >
      <ResponsiveContainer>
        <BarChart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={colors.grid} vertical={false} />
          <XAxis dataKey="provider" {...axisProps(colors)} />
          <YAxis
            {...axisProps(colors)}
            tickFormatter={(value: number) => formatMs(value)}
            width={60}
          />
          <Tooltip {...tooltipProps(colors)} formatter={(value) => formatMs(Number(value))} />
          <Legend verticalAlign="top" wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="p50" name="p50" fill={colors.series[0]} isAnimationActive={false} />
          <Bar dataKey="p95" name="p95" fill={colors.series[1]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}

/** The fleet's daily cost at the operator's volume, at p50 and p99 token usage, against the budget. */
export function ProjectionChart({ view, colors }: { view: BudgetView; colors: ChartColors }) {
  const { projection } = view;
  const data = [
    // Dollars a day, at the fleet's typical (p50) and heavy (p99) token use per prediction.
    { usage: 'at p50 use', cost: projection.p50Usd },
    { usage: 'at p99 use', cost: projection.p99Usd },
  ].filter((entry) => entry.cost !== null);
  const top = Math.max(projection.budgetUsd * 1.2, ...data.map((entry) => entry.cost ?? 0)) || 1;
  return (
    <ChartFrame
      id="projection"
      title={`Projection at ${projection.volumePerDay.toLocaleString('en-US')} predictions a day`}
      caption="Per UTC day · the working fleet's token usage (p50, p99) at current prices, against the daily budget; unpriced models left out"
      points={data.length}
      empty="No token figures to project from yet: run a canary first."
    >
      <ResponsiveContainer>
        <BarChart data={data} layout="vertical" margin={{ top: 8, right: 24, bottom: 0, left: 8 }}>
          <CartesianGrid stroke={colors.grid} horizontal={false} />
          <XAxis type="number" {...axisProps(colors)} tickFormatter={usdTick} domain={[0, top]} />
          <YAxis type="category" dataKey="usage" {...axisProps(colors)} width={80} />
          <ReferenceLine
            x={projection.budgetUsd}
            stroke={colors.bad}
            strokeDasharray="4 3"
            label={{
              value: `budget ${formatUsd(projection.budgetUsd)}`,
              fill: colors.bad,
              fontSize: 11,
              position: 'insideTopRight',
            }}
          />
          <Tooltip {...tooltipProps(colors)} formatter={(value) => formatUsd(Number(value))} />
          <Bar dataKey="cost" name="daily cost" isAnimationActive={false}>
            {data.map((entry) => (
              <Cell
                key={entry.usage}
                fill={(entry.cost ?? 0) > projection.budgetUsd ? colors.bad : colors.series[0]}
              />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </ChartFrame>
  );
}
