import type { BudgetView } from '../../src-shared/ipc';
import { toUiError } from './bridge-port';
import { failed, type Loadable, loading, ready } from './loadable';
import type { SliceCreator } from './slice';

export interface BudgetSlice {
  budget: Loadable<BudgetView>;
  /** The window and volume the loaded figures are for (the page reloads when the route differs). */
  budgetQuery: { days: number; volume: number } | null;
  /** Set when a run finished: the page refetches on its next look. */
  budgetStale: boolean;
  loadBudget(days: number, volume: number): Promise<void>;
  invalidateBudget(): void;
}

export const createBudgetSlice: SliceCreator<BudgetSlice> = (set, get, bridge) => ({
  budget: { status: 'idle', data: null, error: null },
  budgetQuery: null,
  budgetStale: false,

  async loadBudget(days, volume) {
    set({ budget: loading(get().budget), budgetQuery: { days, volume }, budgetStale: false });
    try {
      const view = await bridge.call('budget.summary', { days, volumePerDay: volume });
      const query = get().budgetQuery;
      if (query && (query.days !== days || query.volume !== volume)) return;
      set({ budget: ready(view) });
    } catch (error) {
      set({ budget: failed(get().budget, toUiError(error)) });
    }
  },

  invalidateBudget() {
    set({ budgetStale: true });
  },
});
