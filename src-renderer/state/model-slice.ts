import type { ModelConfig } from '../../src-shared/domain/model-config';
import type { ChannelOutput, ModelDetailView } from '../../src-shared/ipc';
import { toUiError, withUiError } from './bridge-port';
import { failed, type Loadable, loading, ready } from './loadable';
import { fetchLatest } from './fetch-latest';
import type { SliceCreator } from './slice';

export type Verdict = 'active' | 'inactive' | 'unfixable';

/**
 * The model page's data. Mutating actions throw a UiError so the page shows it next to the
 * button that failed; each success reloads the model and the fleet so every figure agrees.
 */
export interface ModelSlice {
  modelDetails: Record<string, Loadable<ModelDetailView>>;
  loadModel(modelId: string): Promise<void>;
  /** fleet.changed for models whose page was opened: reload them too. */
  refreshOpenModels(modelIds: readonly string[]): void;
  checkModelConfig(
    modelId: string,
    config: ModelConfig,
  ): Promise<ChannelOutput<'model.checkConfig'>>;
  saveModelConfig(
    modelId: string,
    config: ModelConfig,
    note: string,
  ): Promise<ChannelOutput<'model.saveConfig'>>;
  diffModelVersions(
    modelId: string,
    from: number,
    to: number,
  ): Promise<ChannelOutput<'model.diff'>>;
  rollbackModel(modelId: string, toVersion: number, note?: string): Promise<number>;
  setVerdict(modelId: string, verdict: Verdict, reason?: string): Promise<void>;
  enableModel(modelId: string): Promise<void>;
  /** Tries a draft beside the current config (a side-by-side run); the draft is not made current. */
  tryModelConfig(modelId: string, config: ModelConfig): Promise<ChannelOutput<'model.tryConfig'>>;
  /** What one recorded call sent (its prompt and request body), fetched when its detail asks. */
  callRequest(callId: number): Promise<ChannelOutput<'calls.request'>>;
}

export const createModelSlice: SliceCreator<ModelSlice> = (set, get, bridge) => {
  async function afterChange(modelId: string) {
    await Promise.all([get().loadModel(modelId), get().loadFleet()]);
  }

  const loadModel = fetchLatest(async (modelId): Promise<true | undefined> => {
    set({
      modelDetails: { ...get().modelDetails, [modelId]: loading(get().modelDetails[modelId]) },
    });
    try {
      const detail = await bridge.call('model.detail', { modelId });
      set({ modelDetails: { ...get().modelDetails, [modelId]: ready(detail) } });
      return true;
    } catch (error) {
      set({
        modelDetails: {
          ...get().modelDetails,
          [modelId]: failed(get().modelDetails[modelId], toUiError(error)),
        },
      });
      return undefined;
    }
  });

  return {
    modelDetails: {},

    async loadModel(modelId) {
      await loadModel(modelId);
    },

    refreshOpenModels(modelIds) {
      for (const modelId of modelIds) {
        if (get().modelDetails[modelId] !== undefined) void get().loadModel(modelId);
      }
    },

    async tryModelConfig(modelId, config) {
      const started = await withUiError(() => bridge.call('model.tryConfig', { modelId, config, fixtures: 5 }));
      void get().loadRun(started.runId);
      return started;
    },

    callRequest: (callId) => withUiError(() => bridge.call('calls.request', { callId })),

    checkModelConfig: (modelId, config) =>
      withUiError(() => bridge.call('model.checkConfig', { modelId, config })),

    async saveModelConfig(modelId, config, note) {
      const saved = await withUiError(() =>
        bridge.call('model.saveConfig', { modelId, config, note }),
      );
      await afterChange(modelId);
      return saved;
    },

    diffModelVersions: (modelId, from, to) =>
      withUiError(() => bridge.call('model.diff', { modelId, from, to })),

    async rollbackModel(modelId, toVersion, note) {
      const { version } = await withUiError(() =>
        bridge.call('model.rollback', note ? { modelId, toVersion, note } : { modelId, toVersion }),
      );
      await afterChange(modelId);
      return version;
    },

    async setVerdict(modelId, verdict, reason) {
      await withUiError(() =>
        bridge.call(
          'model.setVerdict',
          reason ? { modelId, verdict, reason } : { modelId, verdict },
        ),
      );
      await afterChange(modelId);
    },

    async enableModel(modelId) {
      await withUiError(() => bridge.call('model.enable', { modelId }));
      await afterChange(modelId);
    },
  };
};
