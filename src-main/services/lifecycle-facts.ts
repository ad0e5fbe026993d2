import { computeCoverage, type Coverage, describeCoverage, ModelConfigSchema } from '../../src-shared/domain';
import {
  DEFAULT_CLEAN_CANARIES,
  type DerivedStatus,
  deriveStatus,
  type FixAttemptFact,
  median,
  percentile,
  type RunFact,
  rate,
  sameValue,
  suggestUnfixable,
  timeoutTier,
  TIMEOUT_TIERS_MS,
  type Verdict,
  vouchesForModel,
} from '../../src-shared/lifecycle';
import { EngineStateRepository, type ItemFact, LifecycleRepository, type ModelHealth, type StoredModel } from '../store';
import type { Workspace } from './workspace';

/** Figures over a set of items: fixtures decided, who answered, latency, cost. */
export interface ItemFigures {
  items: number;
  predictions: number;
  own: number;
  viaFallback: number;
  successRate: number | null;
  viaFallbackRate: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  /** Everything the items cost (fallbacks included) per prediction answered; null if unknown. */
  costPerSuccessMicros: number | null;
  costMicros: number | null;
}

export interface ModelLifecycle {
  model: StoredModel;
  simulated: boolean;
  derived: DerivedStatus;
  verdict: { status: Verdict; reason: string | null; retestAt: string | null };
  health: ModelHealth;
  /** Runs that tested the model (compare runs excluded), newest first. */
  runs: RunFact[];
  /** Figures over the recent items on the current config. */
  metrics: ItemFigures;
  /** The other versions holding the current config (a rollback's original): `metrics` counts them too. */
  sameConfigVersions: number[];
  fixAttempts: (FixAttemptFact & { successRate: number | null; items: number })[];
  timeoutTiers: { tierMs: number; calls: number; successRate: number | null; costPerSuccessMicros: number | null }[];
  lastWorkedAt: string | null;
  unfixableSuggestion: { reasons: string[] } | null;
}

export interface FleetLifecycle {
  task: string;
  simulated: boolean;
  models: ModelLifecycle[];
  coverage: Coverage & { label: string };
  fleetMedianCostPerSuccessMicros: number | null;
  /** The threshold `working` needs (clean canaries in a row on the current config). */
  cleanCanaries: number;
}

/** How many recent items on the current config the row figures cover. */
export const RECENT_ITEMS = 200;
/** How many recent items the 5xx share of the unfixable rule looks at. */
export const RECENT_FOR_5XX = 50;

/** Kinds that test a model at its configured prompt (compare columns may pin anything else). */
const TESTING_KINDS = new Set(['canary', 'probe', 'regression', 'soak', 'check']);

/**
 * Whether an item tested the model: it was decided and the model was actually sent the prompt.
 * Items refused before sending (budget exhausted, circuit open, disabled) say nothing about it.
 */
export function testedModel(item: ItemFact): boolean {
  return item.decided && item.ownAttempts > 0;
}

export function figuresOf(items: readonly ItemFact[]): ItemFigures {
  let predictions = 0;
  let own = 0;
  let viaFallback = 0;
  let cost: number | null = 0;
  const latencies: number[] = [];
  let count = 0;
  for (const item of items) {
    if (!testedModel(item)) continue;
    count++;
    predictions += item.fixtures;
    if (item.ownSuccess) own += item.fixtures;
    if (item.fallbackSuccess) viaFallback += item.fixtures;
    if (item.ownLatencyMs !== null && item.ownSuccess) latencies.push(item.ownLatencyMs);
    cost = cost === null || item.costMicros === null ? null : cost + item.costMicros;
  }
  const answered = own + viaFallback;
  return {
    items: count,
    predictions,
    own,
    viaFallback,
    successRate: rate(own, predictions),
    viaFallbackRate: rate(viaFallback, predictions),
    p50LatencyMs: roundMs(percentile(latencies, 50)),
    p95LatencyMs: roundMs(percentile(latencies, 95)),
    costPerSuccessMicros: cost === null || answered === 0 ? null : Math.round(cost / answered),
    costMicros: cost,
  };
}

function roundMs(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}

/** Groups a model's items into one fact per run (newest first). */
export function runFactsOf(
  items: readonly ItemFact[],
  isCurrent: (version: number) => boolean,
  warningsOf: (runId: string) => readonly string[],
): RunFact[] {
  const byRun = new Map<string, ItemFact[]>();
  for (const item of items) {
    if (!TESTING_KINDS.has(item.kind) || !testedModel(item)) continue;
    const list = byRun.get(item.runId);
    if (list) list.push(item);
    else byRun.set(item.runId, [item]);
  }
  return [...byRun.values()].map((runItems): RunFact => {
    const first = runItems[0]!;
    const versions = runItems.map((item) => item.configVersion).filter((version): version is number => version !== null);
    const configVersion = versions[0] ?? 0;
    const figures = figuresOf(runItems);
    const errors = new Map<string, number>();
    for (const item of runItems) {
      const error = item.ownSuccess ? null : (item.ownErrorClass ?? item.finalErrorClass);
      if (error) errors.set(error, (errors.get(error) ?? 0) + 1);
    }
    const topError = [...errors.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? null;
    return {
      runId: first.runId,
      kind: first.kind,
      startedAt: first.runStartedAt,
      configVersion,
      currentConfig: configVersion > 0 && isCurrent(configVersion),
      predictions: figures.predictions,
      own: figures.own,
      viaFallback: figures.viaFallback,
      qualityWarnings: warningsOf(first.runId),
      topError,
    };
  });
}

export interface FleetLifecycleOptions {
  now?: Date;
  cleanCanaries?: number;
  /**
   * The quality warnings of a run whose summary is not stored yet (a canary deriving the status it
   * reports before it writes its summary), by model id; stored summaries give every other run's.
   */
  pendingRun?: { runId: string; warnings: ReadonlyMap<string, readonly string[]> };
}

/**
 * Every model's lifecycle, derived from stored facts only: call records per run and config
 * version, model health, operator verdicts. The CLI status, the console and model-status.json
 * all read this, so every figure is computed once, one way.
 */
export function fleetLifecycle(workspace: Workspace, options: FleetLifecycleOptions = {}): FleetLifecycle {
  const now = (options.now ?? new Date()).toISOString();
  const cleanCanaries = options.cleanCanaries ?? DEFAULT_CLEAN_CANARIES;
  const lifecycle = new LifecycleRepository(workspace.db);
  const models = workspace.fleet.listModels();
  const simulatedProviders = new Set(workspace.fleet.listProviders().filter((provider) => provider.simulated).map((provider) => provider.id));
  const verdicts = lifecycle.allVerdicts();
  const health = new Map(new EngineStateRepository(workspace.db).allHealth().map((entry) => [entry.modelId, entry]));
  const quality = lifecycle.qualityWarnings();
  const versions = new Map<string, { version: number; config: unknown; note: string; createdAt: string; trial: boolean }[]>();
  for (const row of lifecycle.allConfigVersions()) {
    const list = versions.get(row.modelId) ?? [];
    list.push({ version: row.version, config: ModelConfigSchema.parse(JSON.parse(row.config)), note: row.note, createdAt: row.createdAt, trial: row.trial === 1 });
    versions.set(row.modelId, list);
  }
  const itemsByModel = new Map<string, ItemFact[]>();
  for (const item of lifecycle.itemFacts()) {
    const list = itemsByModel.get(item.modelId);
    if (list) list.push(item);
    else itemsByModel.set(item.modelId, [item]);
  }

  const partial = models.map((model) => {
    const history = versions.get(model.id) ?? [];
    const sameAsCurrent = new Set(history.filter((entry) => sameValue(entry.config, model.config)).map((entry) => entry.version));
    sameAsCurrent.add(model.configVersion);
    const items = itemsByModel.get(model.id) ?? [];
    const warningsOf = (runId: string): readonly string[] =>
      runId === options.pendingRun?.runId ? (options.pendingRun.warnings.get(model.id) ?? []) : (quality.get(`${runId}\u0000${model.id}`) ?? []);
    const runs = runFactsOf(items, (version) => sameAsCurrent.has(version), warningsOf);
    const stored = verdicts.get(model.id);
    const verdict: ModelLifecycle['verdict'] = { status: stored?.status ?? 'active', reason: stored?.reason ?? null, retestAt: stored?.retestAt ?? null };
    const modelHealth = health.get(model.id) ?? { modelId: model.id, consecutiveFailures: 0, disabled: false, disabledReason: null, disabledAt: null, lastFailureClass: null };
    const derived = deriveStatus(
      {
        active: model.active,
        verdict,
        health: { disabled: modelHealth.disabled, reason: modelHealth.disabledReason },
        configVersion: model.configVersion,
        runs,
      },
      { cleanCanaries, now },
    );
    const testing = items.filter((item) => TESTING_KINDS.has(item.kind));
    const current = testing.filter((item) => item.configVersion !== null && sameAsCurrent.has(item.configVersion)).slice(0, RECENT_ITEMS);
    // A trial tried a draft beside the config; it was never the model's config, so not a fix attempt.
    const fixAttempts = history.filter((entry) => !entry.trial).map((entry) => {
      const figures = figuresOf(testing.filter((item) => item.configVersion === entry.version));
      return { version: entry.version, note: entry.note, createdAt: entry.createdAt, predictions: figures.predictions, own: figures.own, successRate: figures.successRate, items: figures.items };
    });
    const tiers = new Map<number, ItemFact[]>();
    for (const item of items) {
      if (item.timeoutMs === null || !item.decided) continue;
      const tier = timeoutTier(item.timeoutMs);
      const list = tiers.get(tier);
      if (list) list.push(item);
      else tiers.set(tier, [item]);
    }
    const timeoutTiers = TIMEOUT_TIERS_MS.filter((tier) => tiers.has(tier)).map((tier) => {
      const figures = figuresOf(tiers.get(tier)!);
      return { tierMs: tier, calls: figures.items, successRate: figures.successRate, costPerSuccessMicros: figures.costPerSuccessMicros };
    });
    const recent = items.slice(0, RECENT_FOR_5XX);
    const lastWorkedAt = runs.find(vouchesForModel)?.startedAt ?? null;
    return {
      model,
      simulated: simulatedProviders.has(model.provider),
      derived,
      verdict,
      health: modelHealth,
      runs,
      metrics: figuresOf(current),
      sameConfigVersions: [...sameAsCurrent].filter((version) => version !== model.configVersion).sort((a, b) => a - b),
      fixAttempts,
      timeoutTiers,
      lastWorkedAt,
      recentAttempts: recent.reduce((sum, item) => sum + item.ownAttempts, 0),
      recentServerErrors: recent.reduce((sum, item) => sum + item.ownServerErrors, 0),
    };
  });

  const medianCost = median(partial.map((entry) => entry.metrics.costPerSuccessMicros).filter((value): value is number => value !== null));
  const lifecycles = partial.map(({ recentAttempts, recentServerErrors, ...entry }): ModelLifecycle => {
    const offered = entry.derived.status !== 'inactive' && entry.derived.status !== 'unfixable' && entry.derived.status !== 'working';
    return {
      ...entry,
      unfixableSuggestion: offered
        ? suggestUnfixable({
            fixAttempts: entry.fixAttempts,
            lastWorkedAt: entry.lastWorkedAt,
            recentAttempts,
            recentServerErrors,
            costPerSuccessMicros: entry.metrics.costPerSuccessMicros,
            fleetMedianCostPerSuccessMicros: medianCost,
          })
        : null,
    };
  });
  const coverage = computeCoverage(lifecycles.map((entry) => ({ status: entry.derived.status })));
  return {
    task: workspace.fleet.task(),
    simulated: lifecycles.some((entry) => entry.simulated),
    models: lifecycles,
    coverage: { ...coverage, label: describeCoverage(coverage) },
    fleetMedianCostPerSuccessMicros: medianCost,
    cleanCanaries,
  };
}

/** Micro-dollars as the bridge's USD number (rounded to the micro-dollar), null stays null. */
export function usd(micros: number | null): number | null {
  return micros === null ? null : Math.round(micros) / 1_000_000;
}
