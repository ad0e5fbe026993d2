import type { CallRecord } from '../../src-shared/domain';
import { InputError } from '../../src-shared/errors';
import type { CallSummaryView, FleetStatusView, ModelDetailView, ModelRowView } from '../../src-shared/ipc';
import { retestDate, type Verdict } from '../../src-shared/lifecycle';
import { priceRatio } from '../../src-shared/money';
import { LifecycleRepository } from '../store';
import { fallbackProblems } from './config-versions';
import type { EngineHost } from './engine-host';
import { type FleetLifecycle, fleetLifecycle, type ModelLifecycle, usd } from './lifecycle-facts';
import type { Workspace } from './workspace';

export { type FleetLifecycle, fleetLifecycle, type ModelLifecycle } from './lifecycle-facts';

export function modelRowView(entry: ModelLifecycle): ModelRowView {
  const { model } = entry;
  return {
    id: model.id,
    provider: model.provider,
    providerModelId: model.providerModelId,
    family: model.family ?? null,
    parameterSizeB: model.parameterSizeB ?? null,
    premium: model.premium,
    active: model.active,
    simulated: entry.simulated,
    status: entry.derived.status,
    reason: entry.derived.reason,
    configVersion: model.configVersion,
    promptVariant: model.config.promptVariant,
    timeoutMs: model.config.timeoutMs,
    fallback: model.config.fallback,
    unpriced: model.pricing === null,
    successRate: entry.metrics.successRate,
    p50LatencyMs: entry.metrics.p50LatencyMs,
    costPerSuccessUsd: usd(entry.metrics.costPerSuccessMicros),
    calls: entry.metrics.items,
    lastValidated: entry.derived.lastValidated,
  };
}

/** The console's fleet grid: every model's row and the coverage, all from one derivation. */
export function fleetStatusView(workspace: Workspace, lifecycle: FleetLifecycle = fleetLifecycle(workspace)): FleetStatusView {
  return {
    task: lifecycle.task,
    simulated: lifecycle.simulated,
    coverage: lifecycle.coverage,
    models: lifecycle.models.map(modelRowView),
    generatedAt: new Date().toISOString(),
  };
}

/** A stored attempt as the console reads it (money in USD, unknown figures null). */
export function callSummaryView(record: CallRecord): CallSummaryView {
  const { costMicros, runId, itemKey: _itemKey, timeoutMs: _timeoutMs, final: _final, id, ...rest } = record;
  return { ...rest, id: id ?? 0, runId, costUsd: usd(costMicros), parsedValue: record.parsedValue ?? null };
}

/** One model's page: config and its versions, health, verdict, recent calls, fix attempts, tiers. */
export function modelDetail(host: EngineHost, modelId: string): ModelDetailView {
  const workspace = host.workspace;
  const model = workspace.fleet.requireModel(modelId);
  const lifecycle = fleetLifecycle(workspace);
  const entry = lifecycle.models.find((candidate) => candidate.model.id === modelId)!;
  const recent = host.runs.records({ modelId, limit: 50 });
  const errorBreakdown: Record<string, number> = {};
  for (const record of recent) {
    if (record.actualModel === modelId && record.errorClass) errorBreakdown[record.errorClass] = (errorBreakdown[record.errorClass] ?? 0) + 1;
  }
  const all = workspace.fleet.listModels();
  const ceiling = workspace.fleet.budget().fallbackCostCeiling;
  const fallbackOptions = all
    .filter((candidate) => candidate.id !== modelId)
    .map((candidate) => {
      const problem = fallbackProblems(all, modelId, candidate.id)[0];
      const ratio = priceRatio(model.pricing, candidate.pricing);
      const why =
        problem ??
        (ratio !== undefined && ratio > ceiling ? `costs ${ratio.toFixed(1)}x this model, over the ${ceiling}x ceiling` : null);
      return { id: candidate.id, allowed: why === null, why };
    });
  return {
    row: modelRowView(entry),
    config: model.config,
    pricing: model.pricing,
    versions: workspace.fleet.configHistory(modelId).map((version) => ({ version: version.version, note: version.note, createdAt: version.createdAt, config: version.config, trial: version.trial })),
    health: { disabled: entry.health.disabled, reason: entry.health.disabledReason, consecutiveFailures: entry.health.consecutiveFailures },
    verdict: entry.verdict,
    unfixableSuggestion: entry.unfixableSuggestion,
    recentCalls: recent.map(callSummaryView),
    errorBreakdown,
    sameConfigVersions: entry.sameConfigVersions,
    fixAttempts: entry.fixAttempts.map((attempt) => ({ version: attempt.version, note: attempt.note, successRate: attempt.successRate, calls: attempt.items, at: attempt.createdAt })),
    timeoutTiers: entry.timeoutTiers.map((tier) => ({ tierMs: tier.tierMs, calls: tier.calls, successRate: tier.successRate, costPerSuccessUsd: usd(tier.costPerSuccessMicros) })),
    fallbackOptions,
  };
}

export interface VerdictInput {
  modelId: string;
  verdict: Verdict;
  reason?: string | undefined;
  retestInDays?: number | undefined;
}

/**
 * An operator verdict, with its audit-log line: `inactive` takes the model out of the fleet,
 * `unfixable` keeps it active but out of the coverage denominator until its re-test date, and
 * `active` undoes either. Unfixable needs a reason: the seeds ask that every give-up be documented.
 */
export function setVerdict(workspace: Workspace, input: VerdictInput, now: Date = new Date()): void {
  workspace.fleet.requireModel(input.modelId);
  const reason = input.reason?.trim() || null;
  if (input.verdict === 'unfixable' && reason === null) {
    throw new InputError('say why the model is unfixable (the evidence is kept with the verdict)');
  }
  const retestAt =
    input.verdict === 'unfixable' ? retestDate(now, input.retestInDays) : null;
  const lifecycle = new LifecycleRepository(workspace.db, () => now);
  workspace.fleet.transaction(() => {
    workspace.fleet.setActive(input.modelId, input.verdict !== 'inactive');
    lifecycle.setVerdict(input.modelId, input.verdict, input.verdict === 'active' ? null : reason, retestAt);
  });
}

/** Re-enables an automatically disabled model (its failure count starts again at 0). */
export function enableModel(host: EngineHost, modelId: string): void {
  host.workspace.fleet.requireModel(modelId);
  host.state.setDisabled(modelId, false, null, new Date().toISOString());
  closeCircuit(host, modelId);
}

/**
 * Closes a model's circuit breakers in this process, whatever config version they are for. Done
 * when the model is re-enabled, when a gate tests a prompt change that touches it, and when an
 * import sends it elsewhere: the failures that opened them say nothing of what is tested next,
 * which must be sent every fixture, not one probe. (A new config version needs none of this: it
 * gets a breaker of its own.)
 */
export function closeCircuit(host: EngineHost, modelId: string): void {
  const model = host.workspace.fleet.requireModel(modelId);
  const provider = host.workspace.fleet.getProvider(model.provider);
  if (provider) host.engine.resetBreaker(provider, modelId);
}
