import type { BudgetView } from '../../src-shared/ipc';
import { median, percentile, rate, TIMEOUT_TIERS_MS, timeoutTier } from '../../src-shared/lifecycle';
import { type ItemFact, LifecycleRepository } from '../store';
import type { EngineHost } from './engine-host';
import { figuresOf, usd } from './lifecycle-facts';

const DAY_MS = 86_400_000;

function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function groupBy<T>(values: readonly T[], key: (value: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const value of values) {
    const name = key(value);
    const list = groups.get(name);
    if (list) list.push(value);
    else groups.set(name, [value]);
  }
  return groups;
}

/**
 * The budget page: spend per UTC day (fallbacks apart), cost per successful prediction per model
 * against the fleet median (the item's whole cost, fallbacks included, over the predictions
 * answered: cost per attempt flatters unreliable models), tokens per item (p50/p99), success by
 * timeout tier, time to first token by provider, and what a day at `volumePerDay` predictions
 * would cost at the p50 and p99 cost of one prediction.
 */
export function budgetSummary(host: EngineHost, options: { days: number; volumePerDay: number; now?: Date }): BudgetView {
  const now = options.now ?? new Date();
  const today = utcDay(now);
  const firstDay = new Date(Date.parse(`${today}T00:00:00.000Z`) - (options.days - 1) * DAY_MS);
  const since = firstDay.toISOString();
  const lifecycle = new LifecycleRepository(host.workspace.db);
  const budget = host.workspace.fleet.budget();
  const models = new Map(host.workspace.fleet.listModels().map((model) => [model.id, model]));

  const spend = new Map(lifecycle.dailySpend(since).map((row) => [row.day, row]));
  const daily = Array.from({ length: options.days }, (_, index) => {
    const day = utcDay(new Date(firstDay.getTime() + index * DAY_MS));
    const row = spend.get(day);
    return { day, spentUsd: usd(row?.costMicros ?? 0)!, fallbackUsd: usd(row?.fallbackMicros ?? 0)!, calls: row?.calls ?? 0, failedCalls: row?.failedCalls ?? 0 };
  });
  const spentTotal = [...spend.values()].reduce((sum, row) => sum + row.costMicros, 0);
  const fallbackTotal = [...spend.values()].reduce((sum, row) => sum + row.fallbackMicros, 0);

  const items = lifecycle.itemFacts({ sinceIso: since }).filter((item) => item.decided);
  const tokensOf = (item: ItemFact) => (item.ownPromptTokens === null || item.ownCompletionTokens === null ? null : item.ownPromptTokens + item.ownCompletionTokens);
  const byModel = [...groupBy(items, (item) => item.modelId).entries()]
    .map(([modelId, modelItems]) => {
      const figures = figuresOf(modelItems);
      const tokens = modelItems.map(tokensOf).filter((value): value is number => value !== null);
      const known = modelItems.reduce((sum, item) => sum + (item.costMicros ?? 0), 0);
      return {
        modelId,
        spentUsd: usd(known)!,
        successes: figures.own + figures.viaFallback,
        ownSuccesses: figures.own,
        calls: figures.items,
        costPerSuccessUsd: usd(figures.costPerSuccessMicros),
        p50Tokens: percentile(tokens, 50),
        p99Tokens: percentile(tokens, 99),
        unpriced: models.get(modelId)?.pricing === null,
      };
    })
    .sort((a, b) => a.modelId.localeCompare(b.modelId));

  const tiers = groupBy(
    items.filter((item) => item.timeoutMs !== null),
    (item) => String(timeoutTier(item.timeoutMs!)),
  );
  const timeoutTiers = TIMEOUT_TIERS_MS.map((tier) => {
    const figures = figuresOf(tiers.get(String(tier)) ?? []);
    return { tierMs: tier, calls: figures.items, successRate: figures.successRate, costPerSuccessUsd: usd(figures.costPerSuccessMicros) };
  });

  const ttft = groupBy(lifecycle.ttftSamples(since), (sample) => models.get(sample.modelId)?.provider ?? 'unknown');
  const ttftByProvider = [...ttft.entries()]
    .map(([provider, samples]) => {
      const values = samples.map((sample) => sample.ttftMs);
      return { provider, p50Ms: percentile(values, 50), p95Ms: percentile(values, 95), calls: values.length };
    })
    .sort((a, b) => a.provider.localeCompare(b.provider));

  const perPrediction = items.filter((item) => item.costMicros !== null).map((item) => item.costMicros! / item.fixtures);
  const p50 = percentile(perPrediction, 50);
  const p99 = percentile(perPrediction, 99);
  return {
    timezone: 'UTC',
    windowDays: options.days,
    dailyBudgetUsd: budget.dailyUsd,
    today: { day: today, spentUsd: daily.at(-1)?.spentUsd ?? 0, reservedUsd: usd(host.state.reservedOn(today))! },
    daily,
    byModel,
    // Over the models the chart draws: priced, with answers of their own.
    fleetMedianCostPerSuccessUsd: usd(median(byModel.filter((model) => model.ownSuccesses > 0 && !model.unpriced).map((model) => model.costPerSuccessUsd).filter((value): value is number => value !== null).map((value) => value * 1_000_000))),
    fallbackShare: rate(fallbackTotal, spentTotal),
    timeoutTiers,
    ttftByProvider,
    projection: {
      volumePerDay: options.volumePerDay,
      p50Usd: p50 === null ? null : usd(Math.round(p50 * options.volumePerDay)),
      p99Usd: p99 === null ? null : usd(Math.round(p99 * options.volumePerDay)),
      budgetUsd: budget.dailyUsd,
    },
  };
}
