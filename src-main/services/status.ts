import {
  type Coverage,
  computeCoverage,
  type ModelStatusName,
} from '../../src-shared/domain';
import type { StoredModel } from '../store';
import type { Workspace } from './workspace';

export interface ModelStatusRow {
  id: string;
  provider: string;
  providerModelId: string;
  family: string | null;
  premium: boolean;
  active: boolean;
  simulated: boolean;
  status: ModelStatusName;
  reason: string | null;
  configVersion: number;
  promptVariant: string;
  timeoutMs: number;
  fallback: string | null;
  unpriced: boolean;
  lastValidated: string | null;
}

export interface FleetStatus {
  task: string;
  simulated: boolean;
  coverage: Coverage;
  models: ModelStatusRow[];
}

function statusOf(model: StoredModel): { status: ModelStatusName; reason: string | null } {
  if (!model.active) return { status: 'inactive', reason: 'marked inactive by an operator' };
  return { status: 'untested', reason: 'no canary has run on this config version yet' };
}

/** Every model's status and the coverage figures, all counted from this one list. */
export function fleetStatus(workspace: Workspace): FleetStatus {
  const simulatedProviders = new Set(
    workspace.fleet
      .listProviders()
      .filter((provider) => provider.simulated)
      .map((provider) => provider.id),
  );
  const models = workspace.fleet.listModels().map((model): ModelStatusRow => {
    const { status, reason } = statusOf(model);
    return {
      id: model.id,
      provider: model.provider,
      providerModelId: model.providerModelId,
      family: model.family ?? null,
      premium: model.premium,
      active: model.active,
      simulated: simulatedProviders.has(model.provider),
      status,
      reason,
      configVersion: model.configVersion,
      promptVariant: model.config.promptVariant,
      timeoutMs: model.config.timeoutMs,
      fallback: model.config.fallback,
      unpriced: model.pricing === null,
      lastValidated: null,
    };
  });
  return {
    task: workspace.fleet.task(),
    simulated: models.some((model) => model.simulated),
    coverage: computeCoverage(models),
    models,
  };
}
