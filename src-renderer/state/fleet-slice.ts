import type { FleetStatusView, ModelRowView } from '../../src-shared/ipc';
import { toUiError, type UiError } from './bridge-port';
import { fetchLatest } from './fetch-latest';
import { mergeRows } from './fleet-view';
import type { LoadStatus } from './loadable';
import type { SliceCreator } from './slice';
import { renderStats } from './stats';

export interface FleetSlice {
  fleetStatus: LoadStatus;
  fleetError: UiError | null;
  /** Rows by id; an unchanged row keeps its object across refreshes (per-row selectors). */
  fleetById: Record<string, ModelRowView>;
  /** Ids in the order main listed them. */
  fleetIds: string[];
  coverage: FleetStatusView['coverage'] | null;
  fleetTask: string | null;
  fleetSimulated: boolean;
  fleetGeneratedAt: string | null;
  selectedIds: Record<string, true>;
  /**
   * The grid's active row, as a model id (not a position), so it stays on the same model across
   * sorts, filters, live re-sorts and a visit to a model page; null until the grid picks one.
   */
  activeModelId: string | null;
  loadFleet(): Promise<void>;
  /**
   * fleet.changed: refetch the grid and the open model pages, at most once per
   * FLEET_CHANGED_REFRESH_MS (the first change at once, later ones together at the end of the
   * window), and never more than one grid request in flight and one queued.
   */
  refreshModels(modelIds: readonly string[]): void;
  toggleSelected(modelId: string): void;
  setSelected(modelIds: readonly string[]): void;
  clearSelected(): void;
  setActiveModel(modelId: string | null): void;
}

/**
 * During a run main pushes fleet.changed with every event flush (100 ms), and each refresh makes
 * main derive every model's status from its history, on the thread the engine runs on: the grid
 * follows a run once a second instead. Explicit loads (a page opened, a run finished) are not held.
 */
export const FLEET_CHANGED_REFRESH_MS = 1000;

export const createFleetSlice: SliceCreator<FleetSlice> = (set, get, bridge) => {
  let changedIds = new Set<string>();
  let lastChangeRefresh = Number.NEGATIVE_INFINITY;
  let changeTimer: ReturnType<typeof setTimeout> | undefined;

  function refreshChanged(): void {
    changeTimer = undefined;
    lastChangeRefresh = performance.now();
    const modelIds = [...changedIds];
    changedIds = new Set();
    void schedule();
    get().refreshOpenModels(modelIds);
  }

  async function fetchFleet(): Promise<void> {
    try {
      const view = await bridge.call('fleet.status', {});
      const merged = mergeRows(get().fleetById, view.models);
      renderStats.fleetRefreshes++;
      renderStats.rowsChanged += merged.changed.length;
      const previousIds = get().fleetIds;
      const sameIds =
        previousIds.length === merged.ids.length &&
        previousIds.every((id, index) => id === merged.ids[index]);
      set({
        fleetStatus: 'ready',
        fleetError: null,
        fleetById: merged.changed.length === 0 && sameIds ? get().fleetById : merged.byId,
        fleetIds: sameIds ? previousIds : merged.ids,
        coverage: view.coverage,
        fleetTask: view.task,
        fleetSimulated: view.simulated,
        fleetGeneratedAt: view.generatedAt,
      });
    } catch (error) {
      set({
        fleetStatus: get().fleetStatus === 'ready' ? 'ready' : 'error',
        fleetError: toUiError(error),
      });
    }
  }

  // One grid request in flight; what is asked meanwhile is one more request once it lands. A
  // failed request is kept in the store (fleetError) and does not stop the next one.
  const fetchFleetLatest = fetchLatest(async () => {
    await fetchFleet();
    return true;
  });
  const schedule = async (): Promise<void> => {
    await fetchFleetLatest('fleet.status');
  };

  return {
    fleetStatus: 'idle',
    fleetError: null,
    fleetById: {},
    fleetIds: [],
    coverage: null,
    fleetTask: null,
    fleetSimulated: false,
    fleetGeneratedAt: null,
    selectedIds: {},
    activeModelId: null,
    loadFleet() {
      if (get().fleetStatus !== 'ready') set({ fleetStatus: 'loading', fleetError: null });
      return schedule();
    },
    refreshModels(modelIds) {
      if (modelIds.length === 0) return;
      for (const modelId of modelIds) changedIds.add(modelId);
      if (changeTimer !== undefined) return;
      const wait = lastChangeRefresh + FLEET_CHANGED_REFRESH_MS - performance.now();
      if (wait <= 0) refreshChanged();
      else changeTimer = setTimeout(refreshChanged, wait);
    },
    toggleSelected(modelId) {
      const selected = { ...get().selectedIds };
      if (selected[modelId]) delete selected[modelId];
      else selected[modelId] = true;
      set({ selectedIds: selected });
    },
    setSelected(modelIds) {
      const selected: Record<string, true> = {};
      for (const id of modelIds) selected[id] = true;
      set({ selectedIds: selected });
    },
    clearSelected() {
      set({ selectedIds: {} });
    },
    setActiveModel(modelId) {
      if (get().activeModelId !== modelId) set({ activeModelId: modelId });
    },
  };
};
