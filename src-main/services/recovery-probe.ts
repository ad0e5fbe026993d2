import { type CanaryReport, runCanary } from './canary';
import type { EngineHost } from './engine-host';
import type { RunEvent } from './run-executor';

export const DEFAULT_PROBE_INTERVAL_MS = 30 * 60_000;
export const DEFAULT_PROBE_FIXTURES = 3;

export interface ProbeOptions {
  /** Only models disabled at least this long ago are probed (default: all disabled models). */
  disabledForMs?: number;
  fixtures?: number;
  signal?: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  now?: () => Date;
}

/**
 * A recovery probe: a canary (kind `probe`) of the automatically disabled models, which tests
 * each model itself; a model that answers every fixture cleanly is re-enabled by the canary.
 * Operator verdicts (inactive models) are not probed. Returns undefined when nothing is due.
 */
export async function runRecoveryProbe(host: EngineHost, options: ProbeOptions = {}): Promise<CanaryReport | undefined> {
  const now = (options.now ?? (() => new Date()))().getTime();
  const active = new Set(host.workspace.fleet.listModels().filter((model) => model.active).map((model) => model.id));
  const due = host.state
    .allHealth()
    .filter((health) => health.disabled && active.has(health.modelId))
    .filter((health) => options.disabledForMs === undefined || health.disabledAt === null || now - Date.parse(health.disabledAt) >= options.disabledForMs)
    .map((health) => health.modelId);
  if (due.length === 0) return undefined;
  return runCanary(host, {
    kind: 'probe',
    models: due,
    fixtures: options.fixtures ?? DEFAULT_PROBE_FIXTURES,
    concurrency: 4,
    signal: options.signal,
    onEvent: options.onEvent,
  });
}
