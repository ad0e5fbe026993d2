import { z } from 'zod';
import { fallbackChain } from '../../src-shared/fallback';
import { type EstimateHop, estimateFleetPass, type FleetEstimate, percentile } from '../../src-shared/lifecycle';
import { estimateTokens } from '../../src-shared/money';
import { DEFAULT_RETRY_POLICY } from '../engine';
import { type ItemFact, LifecycleRepository, type StoredModel } from '../store';
import { DEFAULT_CANARY_CONCURRENCY } from './canary';
import { composeForModel } from './prompt-edits';
import type { Workspace } from './workspace';

/** The seeds' "predictions must finish 30 minutes before kickoff". */
export const DEFAULT_PASS_WINDOW_MINUTES = 30;
const WINDOW_SETTING = 'passWindowMinutes';

export function passWindowMinutes(workspace: Workspace): number {
  return workspace.fleet.getSetting(WINDOW_SETTING, z.number().positive(), DEFAULT_PASS_WINDOW_MINUTES);
}

export function setPassWindowMinutes(workspace: Workspace, minutes: number): void {
  workspace.fleet.setSetting(WINDOW_SETTING, minutes);
}

function observedOf(items: readonly ItemFact[]): EstimateHop['observed'] {
  const own = items.filter((item) => item.ownSuccess).slice(0, 200);
  const values = (pick: (item: ItemFact) => number | null) => own.map(pick).filter((value): value is number => value !== null);
  return {
    p50LatencyMs: percentile(values((item) => item.ownLatencyMs), 50),
    p50PromptTokens: percentile(values((item) => item.ownPromptTokens), 50),
    p50CompletionTokens: percentile(values((item) => item.ownCompletionTokens), 50),
    p99CompletionTokens: percentile(values((item) => item.ownCompletionTokens), 99),
  };
}

/**
 * One fleet pass under the current configs: a prediction from every active model, expected and
 * worst case (src-shared/lifecycle estimateFleetPass). Computed from the stored configs at each
 * call, so it always reflects the latest timeout, fallback or provider limit.
 */
export function fleetEstimate(workspace: Workspace, options: { concurrency?: number; windowMinutes?: number } = {}): FleetEstimate {
  const models = workspace.fleet.listModels();
  const byId = new Map(models.map((model) => [model.id, model]));
  const items = new LifecycleRepository(workspace.db).itemFacts();
  const itemsOf = new Map<string, ItemFact[]>();
  for (const item of items) {
    const list = itemsOf.get(item.modelId);
    if (list) list.push(item);
    else itemsOf.set(item.modelId, [item]);
  }
  const hop = (model: StoredModel): EstimateHop => ({
    id: model.id,
    provider: model.provider,
    timeoutMs: model.config.timeoutMs,
    maxTokens: model.config.maxTokens,
    pricing: model.pricing,
    observed: observedOf((itemsOf.get(model.id) ?? []).filter((item) => item.configVersion === model.configVersion)),
  });
  const active = models.filter((model) => model.active);
  let promptTokens = 400;
  if (active[0]) {
    const prompt = composeForModel(workspace, active[0].id);
    promptTokens = estimateTokens(prompt.system) + estimateTokens(prompt.user);
  }
  return estimateFleetPass({
    models: active.map((model) => ({
      ...hop(model),
      chain: fallbackChain(model.id, (id) => byId.get(id)?.config.fallback)
        .map((id) => byId.get(id))
        .filter((entry): entry is StoredModel => entry !== undefined)
        .map(hop),
    })),
    providers: workspace.fleet.listProviders().map((provider) => ({ id: provider.id, maxConcurrency: provider.maxConcurrency })),
    concurrency: options.concurrency ?? DEFAULT_CANARY_CONCURRENCY,
    maxAttempts: DEFAULT_RETRY_POLICY.maxAttempts,
    promptTokens,
    windowMs: (options.windowMinutes ?? passWindowMinutes(workspace)) * 60_000,
  });
}
