import type { ModelStatusName } from '../../src-shared/domain';
import { InputError } from '../../src-shared/errors';
import { type DerivedStatus, percentile } from '../../src-shared/lifecycle';
import { microsToUsd } from '../../src-shared/money';
import { checkQuality, type QualityWarning } from '../../src-shared/quality';
import { groupFixtures, type TaskPack } from '../../src-shared/tasks';
import type { ItemResult } from '../engine';
import type { StoredModel } from '../store';
import type { EngineHost } from './engine-host';
import { fleetLifecycle } from './lifecycle-facts';
import { currentModels, executeRun, itemKey, type PlannedItem, pinnedModels, type RunEvent } from './run-executor';
import { catalogAt, loadPromptCatalog, type PromptCatalog, type PromptVersions, promptVersionsOf } from './prompt-catalog';

export interface CanaryOptions {
  /** Model ids, or undefined for every active model. */
  models?: readonly string[] | undefined;
  fixtures: number;
  concurrency: number;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Resume this interrupted run instead of starting a new one. */
  resumeRunId?: string | undefined;
  kind?: 'canary' | 'probe' | 'regression' | 'soak' | 'check';
  /** What to store as the run's summary (default: the canary report itself). */
  summaryOf?: ((report: CanaryReport) => unknown) | undefined;
}

export interface CanaryModelSummary {
  modelId: string;
  /** The model's status after this run, from the one derivation `fleetdeck status` reads. */
  status: ModelStatusName;
  statusReason: string | null;
  predictions: number;
  succeeded: number;
  viaFallback: number;
  /** Everything the model's items cost, fallbacks included; null when some cost is unknown. */
  costUsd: number | null;
  costMicros: number | null;
  unpriced: boolean;
  p50LatencyMs: number | null;
  errors: Record<string, number>;
  /** Why its most frequent error class happened, in the words of one of its records (redacted). */
  errorSample: string | null;
  warnings: string[];
  /** The quality warnings with their evidence. */
  quality: QualityWarning[];
  configVersion: number;
}

export interface CanaryReport {
  runId: string;
  task: string;
  status: string;
  models: CanaryModelSummary[];
  totals: { predictions: number; succeeded: number; costUsd: number; budgetUsd: number; unpricedModels: number };
  pinnedVersions: Record<string, number>;
  /** The prompt component and variant versions the run composed with (pinned at its start). */
  promptVersions: PromptVersions;
  /** Disabled models a clean explicit canary re-enabled. */
  reenabled: string[];
}

export const DEFAULT_CANARY_FIXTURES = 5;
export const DEFAULT_CANARY_CONCURRENCY = 8;

export function selectModels(host: EngineHost, requested: readonly string[] | undefined): string[] {
  const all = host.workspace.fleet.listModels();
  if (requested === undefined) return all.filter((model) => model.active).map((model) => model.id);
  const known = new Set(all.map((model) => model.id));
  const unknown = requested.filter((id) => !known.has(id));
  if (unknown.length > 0) throw new InputError(`unknown model${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`);
  return [...new Set(requested)];
}

/**
 * `count` fixtures spread evenly over the task's list (so a small canary still spans leagues and
 * favourites), grouped per call as the task answers them. Deterministic: the same count always
 * picks the same fixtures.
 */
export function canaryGroups(task: TaskPack, count: number) {
  const total = task.fixtures.length;
  const wanted = Math.min(total, Math.max(1, count));
  const picked = Array.from({ length: wanted }, (_, index) => task.fixtures[Math.floor((index * total) / wanted)]!);
  return groupFixtures(task, picked);
}

/**
 * One-click canary: every selected model answers the same first N fixtures through the real
 * engine. Models are interleaved fixture by fixture so no provider is hammered in a burst.
 */
export async function runCanary(host: EngineHost, options: CanaryOptions): Promise<CanaryReport> {
  let catalog: PromptCatalog;
  let modelIds: string[];
  let models: Map<string, StoredModel>;
  let items: PlannedItem[];
  if (options.resumeRunId) {
    const stored = host.runs.getRun(options.resumeRunId);
    if (!stored) throw new InputError(`unknown run ${options.resumeRunId}`);
    if (stored.status !== 'interrupted' && stored.status !== 'cancelled') {
      throw new InputError(`run ${stored.id} is ${stored.status}: only interrupted or cancelled runs can be resumed`);
    }
    // The prompts the run started with (a run from before prompt pinning composes with the current ones).
    catalog = stored.promptVersions ? catalogAt(host.workspace, stored.task, stored.promptVersions) : loadPromptCatalog(host.workspace, stored.task);
    const task = catalog.task;
    models = pinnedModels(host, stored.pinnedVersions);
    const byId = new Map(task.fixtures.map((fixture) => [fixture.id, fixture]));
    items = stored.items.map((item) => ({
      key: item.key,
      modelId: item.modelId,
      fixtures: item.fixtureId.split('+').map((id) => {
        const fixture = byId.get(id);
        if (!fixture) throw new InputError(`run ${stored.id} used fixture ${id}, which task ${task.id} no longer has`);
        return fixture;
      }),
      explicit: true,
    }));
    modelIds = [...new Set(stored.items.map((item) => item.modelId))];
  } else {
    catalog = loadPromptCatalog(host.workspace);
    modelIds = selectModels(host, options.models);
    models = currentModels(host);
    const groups = canaryGroups(catalog.task, options.fixtures);
    items = groups.flatMap((fixtures) => modelIds.map((modelId) => ({ key: itemKey(modelId, fixtures), modelId, fixtures, explicit: true })));
  }
  const task = catalog.task;
  const outcome = await executeRun(host, {
    kind: options.kind ?? 'canary',
    task,
    items,
    models,
    concurrency: options.concurrency,
    signal: options.signal,
    onEvent: options.onEvent,
    resumeRunId: options.resumeRunId,
    variants: catalog.variants,
    componentVersions: catalog.componentVersions,
  });
  const promptVersions = promptVersionsOf(catalog, modelIds.map((id) => models.get(id)?.config.promptVariant ?? 'BASE'));
  const results = options.resumeRunId ? resultsOfRun(host, outcome.runId, outcome.results) : outcome.results;
  const figures = modelFigures(host, task, modelIds, results, outcome.pinnedVersions);
  const reenabled: string[] = [];
  for (const entry of figures) {
    const health = host.state.health(entry.modelId);
    if (health.disabled && entry.predictions > 0 && entry.succeeded === entry.predictions && entry.viaFallback === 0) {
      host.state.recordSuccess(entry.modelId, new Date().toISOString(), true);
      reenabled.push(entry.modelId);
    }
  }
  // Each model's status is the lifecycle's, counting this run: what `fleetdeck status` shows next.
  const lifecycle = fleetLifecycle(host.workspace, {
    pendingRun: { runId: outcome.runId, warnings: new Map(figures.map((entry) => [entry.modelId, entry.warnings])) },
  });
  const derived = new Map(lifecycle.models.map((entry) => [entry.model.id, entry.derived]));
  const report = summarise(host, task, outcome.runId, outcome.status, figures, derived, outcome.pinnedVersions, promptVersions);
  report.reenabled.push(...reenabled);
  host.runs.finishRun(outcome.runId, outcome.status, new Date().toISOString(), options.summaryOf ? options.summaryOf(report) : report);
  return report;
}

/** A resumed run's summary covers all of its items: earlier ones are rebuilt from their records. */
function resultsOfRun(host: EngineHost, runId: string, fresh: ItemResult[]): ItemResult[] {
  const freshKeys = new Set(fresh.map((result) => result.key));
  const byItem = new Map<string, ItemResult>();
  for (const record of host.runs.records({ runId })) {
    if (freshKeys.has(record.itemKey)) continue;
    let result = byItem.get(record.itemKey);
    if (!result) {
      result = { key: record.itemKey, intendedModel: record.intendedModel, actualModel: record.actualModel, success: false, depth: 0, value: null, errorClass: null, errorMessage: null, costMicros: 0, costUnknown: false, latencyMs: 0, attempts: 0, records: [] };
      byItem.set(record.itemKey, result);
    }
    result.records.push(record);
    result.attempts += record.attempt > 0 ? 1 : 0;
    if (record.costMicros === null && record.httpStatus !== null && record.httpStatus < 400) result.costUnknown = true;
    if (result.costMicros !== undefined) result.costMicros += record.costMicros ?? 0;
    result.latencyMs += record.latencyMs;
    if (record.final) {
      result.success = record.status === 'success';
      result.actualModel = record.actualModel;
      result.depth = record.fallbackDepth;
      result.value = record.parsedValue;
      result.errorClass = record.errorClass;
      result.errorMessage = record.errorMessage;
    }
  }
  for (const result of byItem.values()) if (result.costUnknown) result.costMicros = undefined;
  return [...byItem.values(), ...fresh];
}

/** Quality checks over the model's own answers (fallback answers say nothing about it). */
function qualityWarnings(task: TaskPack, results: readonly ItemResult[]): QualityWarning[] {
  const outputs = results.flatMap((result) => {
    const own = result.records.find((record) => record.final && record.status === 'success' && record.actualModel === result.intendedModel);
    return own ? [{ fixtureId: own.fixtureId, value: own.parsedValue, replyText: own.replyExcerpt }] : [];
  });
  return outputs.length === 0 ? [] : checkQuality(task, outputs, task.fixtures);
}

type ModelFigures = Omit<CanaryModelSummary, 'status' | 'statusReason'>;

function modelFigures(
  host: EngineHost,
  task: TaskPack,
  modelIds: readonly string[],
  results: readonly ItemResult[],
  pinnedVersions: Record<string, number>,
): ModelFigures[] {
  const fleet = new Map(host.workspace.fleet.listModels().map((model) => [model.id, model]));
  return modelIds.map((modelId): ModelFigures => {
    const mine = results.filter((result) => result.intendedModel === modelId);
    const fixturesOf = (result: ItemResult) => result.key.slice(result.key.indexOf('#') + 1).split('+').length;
    const predictions = mine.reduce((sum, result) => sum + fixturesOf(result), 0);
    const succeeded = mine.filter((result) => result.success).reduce((sum, result) => sum + fixturesOf(result), 0);
    const viaFallback = mine.filter((result) => result.success && result.depth > 0).reduce((sum, result) => sum + fixturesOf(result), 0);
    const unknown = mine.some((result) => result.costUnknown);
    const costMicros = unknown ? null : mine.reduce((sum, result) => sum + (result.costMicros ?? 0), 0);
    const errors: Record<string, number> = {};
    const messages = new Map<string, string>();
    const latencies: number[] = [];
    for (const result of mine) {
      for (const record of result.records) {
        if (record.actualModel !== modelId) continue;
        if (record.errorClass) {
          errors[record.errorClass] = (errors[record.errorClass] ?? 0) + 1;
          if (record.errorMessage && !messages.has(record.errorClass)) messages.set(record.errorClass, record.errorMessage);
        }
        if (record.status === 'success') latencies.push(record.latencyMs);
      }
    }
    const warnings = qualityWarnings(task, mine);
    const commonest = Object.entries(errors).sort((left, right) => right[1] - left[1])[0]?.[0];
    return {
      modelId,
      predictions,
      succeeded,
      viaFallback,
      costUsd: costMicros === null ? null : microsToUsd(costMicros),
      costMicros,
      unpriced: fleet.get(modelId)?.pricing === null,
      p50LatencyMs: percentile(latencies, 50),
      errors,
      errorSample: commonest === undefined ? null : (messages.get(commonest) ?? null),
      warnings: warnings.map((warning) => warning.message),
      quality: warnings,
      configVersion: pinnedVersions[modelId] ?? 0,
    };
  });
}

function summarise(
  host: EngineHost,
  task: TaskPack,
  runId: string,
  status: string,
  figures: readonly ModelFigures[],
  derived: ReadonlyMap<string, DerivedStatus>,
  pinnedVersions: Record<string, number>,
  promptVersions: PromptVersions,
): CanaryReport {
  const models = figures.map(
    ({ modelId, ...rest }): CanaryModelSummary => ({
      modelId,
      status: derived.get(modelId)?.status ?? 'untested',
      statusReason: derived.get(modelId)?.reason ?? null,
      ...rest,
    }),
  );
  const totalMicros = models.reduce((sum, model) => sum + (model.costMicros ?? 0), 0);
  return {
    runId,
    task: task.id,
    status,
    models,
    totals: {
      predictions: models.reduce((sum, model) => sum + model.predictions, 0),
      succeeded: models.reduce((sum, model) => sum + model.succeeded, 0),
      costUsd: microsToUsd(totalMicros),
      budgetUsd: host.workspace.fleet.budget().dailyUsd,
      unpricedModels: models.filter((model) => model.unpriced).length,
    },
    pinnedVersions,
    promptVersions,
    reenabled: [],
  };
}
