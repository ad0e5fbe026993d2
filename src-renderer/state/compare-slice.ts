import type { ChannelInput, CompareView } from '../../src-shared/ipc';
import { toUiError } from './bridge-port';
import { failed, type Loadable, loading, ready } from './loadable';
import type { SliceCreator } from './slice';

export type CompareColumnInput = ChannelInput<'compare.start'>['columns'][number];

export interface CompareSlice {
  compareRuns: Record<string, Loadable<CompareView>>;
  startCompare(columns: CompareColumnInput[], fixtures: number): Promise<string>;
  loadCompare(runId: string): Promise<void>;
}

export const createCompareSlice: SliceCreator<CompareSlice> = (set, get, bridge) => {
  /** Per run, the newest request sent: an older answer that lands late is dropped. */
  const latestRequest = new Map<string, number>();
  let requests = 0;

  return {
    compareRuns: {},

    async startCompare(columns, fixtures) {
      try {
        const { runId } = await bridge.call('compare.start', { columns, fixtures });
        set({
          compareRuns: {
            ...get().compareRuns,
            [runId]: { status: 'loading', data: null, error: null },
          },
        });
        void get().loadRun(runId);
        void get().loadCompare(runId);
        return runId;
      } catch (error) {
        throw toUiError(error);
      }
    },

    async loadCompare(runId) {
      const request = ++requests;
      latestRequest.set(runId, request);
      set({ compareRuns: { ...get().compareRuns, [runId]: loading(get().compareRuns[runId]) } });
      try {
        const view = await bridge.call('compare.get', { runId });
        if (latestRequest.get(runId) !== request) return;
        set({ compareRuns: { ...get().compareRuns, [runId]: ready(view) } });
      } catch (error) {
        if (latestRequest.get(runId) !== request) return;
        set({
          compareRuns: {
            ...get().compareRuns,
            [runId]: failed(get().compareRuns[runId], toUiError(error)),
          },
        });
      }
    },
  };
};
