import type { Coverage, ModelStatusName } from '../../src-shared/domain';
import type { FleetStatusView } from '../../src-shared/ipc';
import { fleetLifecycle, fleetStatusView as lifecycleView, modelRowView } from './lifecycle';
import { usd } from './lifecycle-facts';
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
  workingSince: string | null;
  successRate: number | null;
  p50LatencyMs: number | null;
  costPerSuccessUsd: number | null;
  calls: number;
  /** Fleetdeck's suggestion to call the model unfixable, with its evidence. */
  unfixableSuggestion: string[] | null;
  /** Success rate and cost per success by timeout tier (30/45/60/90 s): did raising it help? */
  timeoutTiers: TimeoutTierRow[];
}

export interface TimeoutTierRow {
  tierMs: number;
  /** Items the model was sent at a timeout in this tier. */
  calls: number;
  successRate: number | null;
  costPerSuccessUsd: number | null;
}

export interface FleetStatus {
  task: string;
  simulated: boolean;
  coverage: Coverage;
  /** "37 of 39 active models working, 94.9%" */
  coverageLabel: string;
  /** Clean canaries in a row `working` needs on the current config. */
  workingAfterCleanCanaries: number;
  models: ModelStatusRow[];
}

/**
 * Every model's status and the coverage figures, all counted from one derivation
 * (services/lifecycle-facts.ts over src-shared/lifecycle deriveStatus), the same the console and
 * model-status.json show.
 */
export function fleetStatus(workspace: Workspace): FleetStatus {
  const lifecycle = fleetLifecycle(workspace);
  const { label, ...coverage } = lifecycle.coverage;
  return {
    task: lifecycle.task,
    simulated: lifecycle.simulated,
    coverage,
    coverageLabel: label,
    workingAfterCleanCanaries: lifecycle.cleanCanaries,
    models: lifecycle.models.map((entry) => {
      const { parameterSizeB: _size, ...row } = modelRowView(entry);
      return {
        ...row,
        workingSince: entry.derived.workingSince,
        unfixableSuggestion: entry.unfixableSuggestion?.reasons ?? null,
        timeoutTiers: entry.timeoutTiers.map((tier) => ({ tierMs: tier.tierMs, calls: tier.calls, successRate: tier.successRate, costPerSuccessUsd: usd(tier.costPerSuccessMicros) })),
      };
    }),
  };
}

/** The contract's FleetStatusView (the console's fleet grid). */
export function fleetStatusView(workspace: Workspace): FleetStatusView {
  return lifecycleView(workspace);
}
