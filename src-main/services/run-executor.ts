import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { RunItem, RunKind, RunStatus } from '../../src-shared/domain';
import type { PromptVariant } from '../../src-shared/prompts';
import type { Fixture, TaskPack } from '../../src-shared/tasks';
import type { EngineEvent, ItemResult, RunContext, WorkItem } from '../engine';
import type { StoredModel } from '../store';
import type { EngineHost } from './engine-host';
import { variantResolver } from './prompt-catalog';

export type RunEvent =
  | EngineEvent
  | {
      type: 'run-started';
      runId: string;
      kind: RunKind;
      total: number;
      /** How many of the items to run each model has (a resumed run: only its unfinished ones). */
      itemsByModel?: Record<string, number>;
      /**
       * A resumed run: what its earlier sessions decided, and its calls' recorded cost. `total`
       * and each item's `done` count only the items sent now; the whole run is these plus those.
       */
      earlier?: { done: number; succeeded: number; viaFallback: number; costMicros: number };
    }
  | { type: 'item-finished'; runId: string; result: ItemResult; done: number; total: number }
  | { type: 'run-finished'; runId: string; status: RunStatus };

export interface PlannedItem extends WorkItem {
  column?: number | undefined;
}

export interface ExecuteOptions {
  kind: RunKind;
  task: TaskPack;
  items: PlannedItem[];
  /** Models at the versions this run uses (fallbacks included). */
  models: ReadonlyMap<string, StoredModel>;
  concurrency: number;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Resume: continue this run instead of creating one (its finished items are skipped). */
  resumeRunId?: string | undefined;
  /** Stored variants at the versions this run pins (the latest of each); a name not given resolves to its shipped built-in. */
  variants?: readonly PromptVariant[] | undefined;
  /** Recorded versions of the task's components, stamped on every composed prompt. */
  componentVersions?: Readonly<Record<string, number>> | undefined;
}

export interface RunOutcome {
  runId: string;
  status: RunStatus;
  /** Results of the items executed now, in plan order (resume: only the unfinished ones). */
  results: ItemResult[];
  pinnedVersions: Record<string, number>;
}

export function newRunId(kind: RunKind, now: Date = new Date()): string {
  return `${kind}-${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/** Item keys are stable across a resume: column, model and the fixture ids of the call. */
export function itemKey(modelId: string, fixtures: readonly Fixture[], column?: number): string {
  return `${column === undefined ? '' : `${column}:`}${modelId}#${fixtures.map((fixture) => fixture.id).join('+')}`;
}

/** Every model of the workspace at its current config version, as a run pins them. */
export function currentModels(host: EngineHost): Map<string, StoredModel> {
  return new Map(host.workspace.fleet.listModels().map((model) => [model.id, model]));
}

/** The models a stored run pinned, each at the config version it started with. */
export function pinnedModels(host: EngineHost, pinned: Record<string, number>): Map<string, StoredModel> {
  const models = new Map<string, StoredModel>();
  for (const [id, version] of Object.entries(pinned)) {
    const model = host.workspace.fleet.getModel(id);
    const config = host.workspace.fleet.getConfigVersion(id, version);
    if (model && config) models.set(id, { ...model, config: config.config, configVersion: version });
  }
  return models;
}

/**
 * Runs planned items through the engine with a bounded number in flight, persisting the run
 * (plan and pinned versions first, then every attempt as it ends) so an interrupted run can be
 * resumed with only its unfinished items sent again.
 */
export async function executeRun(host: EngineHost, options: ExecuteOptions): Promise<RunOutcome> {
  // Before anything is stored: a concurrency that is not a number would start no item, ever.
  if (typeof options.concurrency !== 'number' || Number.isNaN(options.concurrency)) {
    throw new RangeError(`concurrency must be a number of calls, got ${String(options.concurrency)}`);
  }
  const now = new Date();
  const pinnedVersions = Object.fromEntries([...options.models.values()].map((model) => [model.id, model.configVersion]));
  let runId: string;
  let items = options.items;
  let earlier: { done: number; succeeded: number; viaFallback: number; costMicros: number } | undefined;
  if (options.resumeRunId) {
    runId = options.resumeRunId;
    const finished = host.runs.finishedItemKeys(runId);
    items = items.filter((item) => !finished.has(item.key));
    earlier = host.runs.finishedTally(runId);
    host.runs.claimRun(runId);
  } else {
    runId = newRunId(options.kind, now);
    const budget = host.workspace.fleet.budget();
    const plan: RunItem[] = options.items.map((item) => ({
      key: item.key,
      modelId: item.modelId,
      fixtureId: item.fixtures.map((fixture) => fixture.id).join('+'),
      configVersion: (item.model ?? options.models.get(item.modelId))?.configVersion ?? 1,
      ...(item.promptVariant ? { promptVariant: item.promptVariant } : {}),
      ...(item.column !== undefined ? { column: item.column } : {}),
    }));
    host.runs.createRun({
      id: runId,
      kind: options.kind,
      task: options.task.id,
      items: plan,
      pinnedVersions,
      // What the run composes with, so a resume composes the same prompts (not later edits).
      promptVersions: {
        components: { ...options.componentVersions },
        variants: Object.fromEntries((options.variants ?? []).map((variant) => [variant.name, variant.version])),
      },
      budgetMicros: budget.runUsd === undefined ? null : Math.round(budget.runUsd * 1_000_000),
      startedAt: now.toISOString(),
    });
  }
  const budget = host.workspace.fleet.budget();
  // Each call of a model reserves one ahead for the model's next call (see BudgetLedger), so that
  // call is sent without waiting for its own reservation's commit.
  host.ledger.openRun(runId, budget.runUsd === undefined ? null : Math.round(budget.runUsd * 1_000_000), {
    prepareAhead: Math.max(1, options.concurrency),
  });
  const providers = new Map(host.workspace.fleet.listProviders().map((provider) => [provider.id, provider]));
  const variants = options.variants ?? [];
  const controller = new AbortController();
  // Every call in flight listens on the run's signal.
  setMaxListeners(0, controller.signal);
  const onOuterAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  if (options.signal?.aborted) controller.abort();

  const context: RunContext = {
    runId,
    task: options.task,
    models: options.models,
    providers,
    variant: variantResolver(variants),
    componentVersions: options.componentVersions,
    costCeiling: budget.fallbackCostCeiling,
    signal: controller.signal,
    onEvent: options.onEvent,
  };
  const itemsByModel: Record<string, number> = {};
  for (const item of items) itemsByModel[item.modelId] = (itemsByModel[item.modelId] ?? 0) + 1;
  options.onEvent?.({ type: 'run-started', runId, kind: options.kind, total: items.length, itemsByModel, ...(earlier ? { earlier } : {}) });
  let done = 0;
  let results: ItemResult[];
  try {
    results = await dispatch(
      items,
      Math.max(1, options.concurrency),
      (item) => (item.model ?? options.models.get(item.modelId))?.provider ?? '',
      (providerId, inFlight) => {
        const provider = providers.get(providerId);
        return provider === undefined || (inFlight < provider.maxConcurrency && host.engine.hasCapacity(provider));
      },
      async (item) => {
        const result = await host.engine.execute(context, item);
        done++;
        options.onEvent?.({ type: 'item-finished', runId, result, done, total: items.length });
        return result;
      },
    );
  } catch (error) {
    // An item that threw ends the run here: its calls in flight are cancelled (a retry or fallback
    // of theirs would no longer be held to the run's cap), and the reservations prepared for its
    // next calls are given back, not left counted for the day.
    controller.abort();
    options.signal?.removeEventListener('abort', onOuterAbort);
    host.ledger.closeRun(runId);
    throw error;
  }
  options.signal?.removeEventListener('abort', onOuterAbort);
  // Every attempt's record is committed before the run is reported finished. Then the
  // reservations prepared for calls the run never made are removed, also after a failed write.
  let failure: unknown;
  await host.engine.flush().catch((error: unknown) => {
    failure = error;
  });
  host.ledger.closeRun(runId);
  await host.engine.flush().catch((error: unknown) => {
    failure ??= error;
  });
  if (failure !== undefined) throw failure;
  const status: RunStatus = controller.signal.aborted ? 'cancelled' : 'completed';
  host.runs.setStatus(runId, status);
  options.onEvent?.({ type: 'run-finished', runId, status });
  return { runId, status, results, pinnedVersions };
}

/**
 * Runs `work` over `items` with at most `concurrency` in flight, in plan order within each
 * provider, and never lets an item whose provider is at its own concurrency limit hold a run
 * slot while another provider has room (no head-of-line blocking). Results keep plan order.
 */
export function dispatch<T, R>(
  items: readonly T[],
  concurrency: number,
  providerOf: (item: T) => string,
  /** Whether `provider` can take one more call, given how many of this run's items it has now. */
  canStart: (provider: string, inFlight: number) => boolean,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  // NaN would compare false with everything and start nothing: the run would never end.
  if (!(concurrency >= 1)) throw new RangeError(`concurrency must be at least 1, got ${concurrency}`);
  const results = new Array<R>(items.length);
  const queues = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = providerOf(item);
    const queue = queues.get(key);
    if (queue) queue.push(index);
    else queues.set(key, [index]);
  });
  let inFlight = 0;
  const inFlightByProvider = new Map<string, number>();
  let remaining = items.length;
  // After an item threw, the run is over: the items in flight end, and no other starts.
  let failed = false;
  return new Promise<R[]>((resolve, reject) => {
    const pump = (): void => {
      while (inFlight < concurrency && !failed) {
        // The earliest planned item among providers that can take a call now; with nothing in
        // flight the earliest item starts anyway (its provider queues it), so a run never stalls.
        let best: string | undefined;
        let bestIndex = Number.POSITIVE_INFINITY;
        for (const [key, queue] of queues) {
          const head = queue[0]!;
          if (head < bestIndex && (inFlight === 0 || canStart(key, inFlightByProvider.get(key) ?? 0))) {
            best = key;
            bestIndex = head;
          }
        }
        if (best === undefined) return;
        const queue = queues.get(best)!;
        queue.shift();
        if (queue.length === 0) queues.delete(best);
        const provider = best;
        const index = bestIndex;
        inFlight++;
        inFlightByProvider.set(provider, (inFlightByProvider.get(provider) ?? 0) + 1);
        work(items[index]!).then(
          (result) => {
            results[index] = result;
            inFlight--;
            inFlightByProvider.set(provider, (inFlightByProvider.get(provider) ?? 1) - 1);
            remaining--;
            if (remaining === 0) resolve(results);
            else pump();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    if (remaining === 0) resolve(results);
    else pump();
  });
}
