import type {
  ChannelInput,
  ChannelOutput,
  PromptChangeInput,
  RegressionPlanView,
  RegressionReportView,
} from '../../src-shared/ipc';
import { toUiError, withUiError } from './bridge-port';
import { failed, type Loadable, loading, ready } from './loadable';
import type { SliceCreator } from './slice';

export type PromptCatalog = ChannelOutput<'prompts.catalog'>;
export type PromptHistory = ChannelOutput<'prompts.history'>;
export type ComposedPrompt = ChannelOutput<'prompts.compose'>;
export type RegressTarget = ChannelInput<'regress.start'>['change'];

export const historyKey = (kind: 'variant' | 'component', name: string) => `${kind}:${name}`;

export interface PromptsSlice {
  catalog: Loadable<PromptCatalog>;
  promptHistory: Record<string, Loadable<PromptHistory>>;
  composed: Record<string, Loadable<ComposedPrompt>>;
  regressionReports: Record<string, Loadable<RegressionReportView>>;
  loadCatalog(): Promise<void>;
  loadPromptHistory(kind: 'variant' | 'component', name: string): Promise<void>;
  composeFor(modelId: string): Promise<void>;
  planPromptChange(change: PromptChangeInput): Promise<RegressionPlanView>;
  savePromptChange(change: PromptChangeInput, note: string): Promise<ChannelOutput<'prompts.save'>>;
  /** Runs the regression gate for the latest version of a change; resolves with the run id. */
  startRegression(target: RegressTarget): Promise<ChannelOutput<'regress.start'>>;
  loadRegressionReport(runId: string): Promise<void>;
  rollbackRegression(runId: string): Promise<ChannelOutput<'regress.rollback'>>;
}

export const createPromptsSlice: SliceCreator<PromptsSlice> = (set, get, bridge) => {
  return {
    catalog: { status: 'idle', data: null, error: null },
    promptHistory: {},
    composed: {},
    regressionReports: {},

    async loadCatalog() {
      set({ catalog: loading(get().catalog) });
      try {
        set({ catalog: ready(await bridge.call('prompts.catalog', {})) });
      } catch (error) {
        set({ catalog: failed(get().catalog, toUiError(error)) });
      }
    },

    async loadPromptHistory(kind, name) {
      const key = historyKey(kind, name);
      set({ promptHistory: { ...get().promptHistory, [key]: loading(get().promptHistory[key]) } });
      try {
        const history = await bridge.call('prompts.history', { kind, name });
        set({ promptHistory: { ...get().promptHistory, [key]: ready(history) } });
      } catch (error) {
        set({
          promptHistory: {
            ...get().promptHistory,
            [key]: failed(get().promptHistory[key], toUiError(error)),
          },
        });
      }
    },

    async composeFor(modelId) {
      set({ composed: { ...get().composed, [modelId]: loading(get().composed[modelId]) } });
      try {
        const composed = await bridge.call('prompts.compose', { modelId });
        set({ composed: { ...get().composed, [modelId]: ready(composed) } });
      } catch (error) {
        set({
          composed: {
            ...get().composed,
            [modelId]: failed(get().composed[modelId], toUiError(error)),
          },
        });
      }
    },

    planPromptChange: (change) => withUiError(() => bridge.call('prompts.plan', { change })),

    async savePromptChange(change, note) {
      const saved = await withUiError(() => bridge.call('prompts.save', { change, note }));
      const name = change.kind === 'variant' ? change.name : change.key;
      await Promise.all([get().loadCatalog(), get().loadPromptHistory(change.kind, name)]);
      set({ composed: {} });
      return saved;
    },

    async startRegression(target) {
      const started = await withUiError(() => bridge.call('regress.start', { change: target }));
      await get().loadRun(started.runId);
      return started;
    },

    async loadRegressionReport(runId) {
      const previous = get().regressionReports[runId];
      set({ regressionReports: { ...get().regressionReports, [runId]: loading(previous) } });
      try {
        const report = await bridge.call('regress.report', { runId });
        set({ regressionReports: { ...get().regressionReports, [runId]: ready(report) } });
      } catch (error) {
        set({
          regressionReports: {
            ...get().regressionReports,
            [runId]: failed(previous, toUiError(error)),
          },
        });
      }
    },

    async rollbackRegression(runId) {
      const rolledBack = await withUiError(() => bridge.call('regress.rollback', { runId }));
      await Promise.all([get().loadCatalog(), get().loadFleet()]);
      set({ composed: {} });
      return rolledBack;
    },
  };
};
