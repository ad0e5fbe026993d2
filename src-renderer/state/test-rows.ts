import type { ModelRowView } from '../../src-shared/ipc';

/** A fleet row for unit tests and the grid bench: untested, with every figure unknown. */
export function row(id: string, overrides: Partial<ModelRowView> = {}): ModelRowView {
  return {
    id,
    provider: 'sim-together',
    providerModelId: id,
    family: 'llama',
    parameterSizeB: 8,
    premium: false,
    active: true,
    simulated: true,
    status: 'untested',
    reason: null,
    configVersion: 1,
    promptVariant: 'BASE',
    timeoutMs: 30_000,
    fallback: null,
    unpriced: false,
    successRate: null,
    p50LatencyMs: null,
    costPerSuccessUsd: null,
    calls: 0,
    lastValidated: null,
    ...overrides,
  };
}
