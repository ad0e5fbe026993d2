import type { CallSummaryView, ChannelInput, EventPayload, RunView } from '../../src-shared/ipc';
import { toUiError, type UiError } from './bridge-port';
import type { LoadStatus } from './loadable';
import { fetchLatest } from './fetch-latest';
import type { SliceCreator } from './slice';

export type RunProgress = EventPayload<'run.progress'>;

export interface RunsSlice {
  runsStatus: LoadStatus;
  runsError: UiError | null;
  runsById: Record<string, RunView>;
  /** Newest first. */
  runIds: string[];
  /** The latest progress event per run (why it waits, live cost). */
  progressByRun: Record<string, RunProgress>;
  /** Models in a running run → that run's id (the grid marks those rows as running). */
  runningModels: Record<string, string>;
  canaryError: UiError | null;
  loadRuns(): Promise<void>;
  loadRun(runId: string): Promise<RunView | null>;
  /** One-click canary: the given models, or every active model. Resolves with the run id. */
  startCanary(modelIds?: readonly string[]): Promise<string | null>;
  cancelRun(runId: string): Promise<void>;
  resumeRun(runId: string): Promise<string | null>;
  /** Call records of a run or a model (the run page's table); throws a UiError. */
  listCalls(input: ChannelInput<'calls.list'>): Promise<CallSummaryView[]>;
  applyRunProgress(progress: RunProgress): void;
  applyRunFinished(finished: EventPayload<'run.finished'>): void;
}

function upsertRun(state: { runsById: Record<string, RunView>; runIds: string[] }, run: RunView) {
  const runsById = { ...state.runsById, [run.id]: run };
  const runIds = state.runIds.includes(run.id) ? state.runIds : [run.id, ...state.runIds];
  return { runsById, runIds };
}

/**
 * Models with work still to finish in a running run → that run. A model whose items in the run
 * have all finished is not running any more (its row shows its own status again); before the
 * run's first progress event, all of its models are.
 */
export function runningModelsOf(
  runsById: Record<string, RunView>,
  progressByRun: Record<string, RunProgress>,
): Record<string, string> {
  const running: Record<string, string> = {};
  for (const run of Object.values(runsById)) {
    if (run.status !== 'running') continue;
    for (const modelId of progressByRun[run.id]?.unfinishedModels ?? run.models) running[modelId] = run.id;
  }
  return running;
}

export const createRunsSlice: SliceCreator<RunsSlice> = (set, get, bridge) => {
  const storeRun = (run: RunView) => {
    const next = upsertRun(get(), run);
    set({ ...next, runningModels: runningModelsOf(next.runsById, get().progressByRun) });
  };

  const loadRun = fetchLatest(async (runId): Promise<RunView | undefined> => {
    try {
      const run = await bridge.call('runs.get', { runId });
      storeRun(run);
      return run;
    } catch (error) {
      set({ runsError: toUiError(error) });
      return undefined;
    }
  });

  return {
    runsStatus: 'idle',
    runsError: null,
    runsById: {},
    runIds: [],
    progressByRun: {},
    runningModels: {},
    canaryError: null,

    async loadRuns() {
      set({ runsStatus: get().runsStatus === 'ready' ? 'ready' : 'loading', runsError: null });
      try {
        const runs = await bridge.call('runs.list', { limit: 200 });
        const runsById: Record<string, RunView> = {};
        for (const run of runs) runsById[run.id] = run;
        set({
          runsStatus: 'ready',
          runsById,
          runIds: runs.map((run) => run.id),
          runningModels: runningModelsOf(runsById, get().progressByRun),
        });
      } catch (error) {
        set({ runsStatus: 'error', runsError: toUiError(error) });
      }
    },

    loadRun: async (runId) => (await loadRun(runId)) ?? null,

    async startCanary(modelIds) {
      set({ canaryError: null });
      try {
        const input = modelIds && modelIds.length > 0 ? { models: [...modelIds] } : {};
        const { runId } = await bridge.call('runs.startCanary', input);
        await get().loadRun(runId);
        return runId;
      } catch (error) {
        set({ canaryError: toUiError(error) });
        return null;
      }
    },

    async cancelRun(runId) {
      try {
        await bridge.call('runs.cancel', { runId });
      } catch (error) {
        get().pushToast({
          level: 'error',
          title: `Could not cancel ${runId}`,
          error: toUiError(error),
        });
      }
      await get().loadRun(runId);
    },

    async resumeRun(runId) {
      try {
        const resumed = await bridge.call('runs.resume', { runId });
        await get().loadRun(resumed.runId);
        await get().loadRun(runId);
        return resumed.runId;
      } catch (error) {
        get().pushToast({
          level: 'error',
          title: `Could not resume ${runId}`,
          error: toUiError(error),
        });
        return null;
      }
    },

    async listCalls(input) {
      try {
        return await bridge.call('calls.list', input);
      } catch (error) {
        throw toUiError(error);
      }
    },

    applyRunProgress(progress) {
      const run = get().runsById[progress.runId];
      const progressByRun = { ...get().progressByRun, [progress.runId]: progress };
      if (run === undefined) {
        set({ progressByRun });
        void get().loadRun(progress.runId);
        return;
      }
      const { done, total, succeeded, viaFallback, failed, cancelled, costUsd } = progress;
      const runsById = {
        ...get().runsById,
        [run.id]: { ...run, done, total, succeeded, viaFallback, failed, cancelled, costUsd },
      };
      set({ progressByRun, runsById, runningModels: runningModelsOf(runsById, progressByRun) });
    },

    applyRunFinished(finished) {
      const progressByRun = { ...get().progressByRun };
      delete progressByRun[finished.runId];
      const run = get().runsById[finished.runId];
      const status = (['completed', 'cancelled', 'interrupted', 'failed'] as const).find(
        (name) => name === finished.status,
      );
      if (run !== undefined && status !== undefined) {
        const runsById = { ...get().runsById, [run.id]: { ...run, status } };
        set({ progressByRun, runsById, runningModels: runningModelsOf(runsById, progressByRun) });
      } else {
        set({ progressByRun });
      }
      void get().loadRun(finished.runId);
      if (finished.kind === 'regression') void get().loadRegressionReport(finished.runId);
      if (finished.kind === 'compare') void get().loadCompare(finished.runId);
      get().invalidateBudget();
      void get().loadFleet();
    },
  };
};
