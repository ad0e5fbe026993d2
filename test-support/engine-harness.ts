import type { ModelInput, ProviderInput } from '../src-shared/domain';
import type { ProfileInput } from '../src-main/simulator';
import { type RunningSimulator, startSimulator } from '../src-main/simulator';
import type { EngineOptions } from '../src-main/engine';
import { type CanaryReport, runCanary } from '../src-main/services/canary';
import { type EngineHost, openEngineHost } from '../src-main/services/engine-host';
import { importFleet } from '../src-main/services/fleet-files';
import { openWorkspace, type Workspace } from '../src-main/services/workspace';
import { makeTempDir } from './temp-dir';

export interface HarnessModel {
  id: string;
  provider?: string;
  /** The simulated personality (its provider is the model's); null for a model no simulator serves. */
  profile: Omit<ProfileInput, 'provider'> | null;
  pricing?: { promptPer1M: number; completionPer1M: number } | null;
  config?: ModelInput['config'];
  premium?: boolean;
  providerModelId?: string;
}

export interface Harness {
  dataDir: string;
  workspace: Workspace;
  host: EngineHost;
  simulator: RunningSimulator;
  /**
   * Closes the engine host and opens a new one on the same workspace and simulator, as a restarted
   * process would. With `crashed`, that run is first left as a kill -9 leaves it: still `running`,
   * owned by a process that no longer exists (the new host marks it interrupted).
   */
  restart(options?: { crashed?: string }): Promise<EngineHost>;
  /** Closes everything; the data folder is removed unless `keepFiles` (then the caller removes it). */
  close(options?: { keepFiles?: boolean }): Promise<void>;
}

/** A canary of one model stopped once `after` items are answered: the rest of its plan is unsent. */
export function stoppedCanary(
  host: EngineHost,
  modelId: string,
  options: { fixtures: number; concurrency: number; after: number },
): Promise<CanaryReport> {
  const controller = new AbortController();
  return runCanary(host, {
    models: [modelId],
    fixtures: options.fixtures,
    concurrency: options.concurrency,
    signal: controller.signal,
    onEvent: (event) => {
      if (event.type === 'item-finished' && event.done >= options.after) controller.abort();
    },
  });
}

/** Test engine options: short backoff and cooldowns, so retry tests take milliseconds. */
export const FAST_ENGINE: Partial<EngineOptions> = {
  retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2_500 },
  breaker: { failureThreshold: 100, cooldownMs: 60_000 },
};

/**
 * A real workspace (SQLite file in a temp folder) whose providers `sim-a` and `sim-b` are served
 * by a real simulator on 127.0.0.1 with the given personalities (latency off unless asked).
 */
export async function openHarness(options: {
  models: HarnessModel[];
  budget?: { dailyUsd?: number; runUsd?: number; fallbackCostCeiling?: number };
  engineOptions?: Partial<EngineOptions>;
  providers?: ProviderInput[];
  simulatorKey?: string;
  latencyScale?: number;
  env?: NodeJS.ProcessEnv;
  seed?: number;
}): Promise<Harness> {
  const temp = makeTempDir('fleetdeck-engine-');
  const profiles: Record<string, ProfileInput> = {};
  for (const model of options.models) {
    if (model.profile)
      profiles[model.providerModelId ?? model.id] = {
        ...model.profile,
        provider: model.provider ?? 'sim-a',
      };
  }
  const simulator = await startSimulator({
    profiles: { version: 1, models: profiles },
    latencyScale: options.latencyScale ?? 0,
    seed: options.seed ?? 7,
    ...(options.simulatorKey ? { key: options.simulatorKey } : {}),
  });
  const workspace = openWorkspace(temp.dir);
  const providers = options.providers ?? [
    { id: 'sim-a', baseUrl: 'http://127.0.0.1/sim-a/v1', simulated: true, maxConcurrency: 64 },
    { id: 'sim-b', baseUrl: 'http://127.0.0.1/sim-b/v1', simulated: true, maxConcurrency: 64 },
  ];
  const imported = importFleet(
    workspace,
    {
      version: 1,
      task: 'football-score',
      providers,
      models: options.models.map((model) => ({
        id: model.id,
        provider: model.provider ?? 'sim-a',
        providerModelId: model.providerModelId ?? model.id,
        pricing:
          model.pricing === undefined ? { promptPer1M: 1, completionPer1M: 2 } : model.pricing,
        premium: model.premium ?? false,
        config: { timeoutMs: 5_000, ...model.config },
      })),
      budget: { dailyUsd: 100, ...options.budget },
    },
    'test harness',
  );
  if (!imported.ok) throw new Error(`harness fleet invalid: ${JSON.stringify(imported.problems)}`);
  const open = () =>
    openEngineHost(workspace, {
      simulator,
      engineOptions: { ...FAST_ENGINE, ...options.engineOptions },
      env: options.env ?? {},
    });
  const harness: Harness = {
    dataDir: temp.dir,
    workspace,
    host: await open(),
    simulator,
    restart: async (restartOptions = {}) => {
      await harness.host.close();
      if (restartOptions.crashed !== undefined) {
        workspace.db
          .prepare("UPDATE runs SET status = 'running', owner_pid = 999999999 WHERE id = ?")
          .run(restartOptions.crashed);
      }
      harness.host = await open();
      return harness.host;
    },
    close: async (closeOptions = {}) => {
      await harness.host.close();
      await simulator.close();
      workspace.close();
      if (!closeOptions.keepFiles) temp.cleanup();
    },
  };
  return harness;
}
