import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { BridgePort } from './bridge-port';
import { type BudgetSlice, createBudgetSlice } from './budget-slice';
import { type CompareSlice, createCompareSlice } from './compare-slice';
import { createFleetSlice, type FleetSlice } from './fleet-slice';
import { createModelSlice, type ModelSlice } from './model-slice';
import { createPromptsSlice, type PromptsSlice } from './prompts-slice';
import { createRunsSlice, type RunsSlice } from './runs-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import {
  createUiSlice,
  memoryReadMarks,
  type ReadMarksStorage,
  type ThemeStorage,
  type UiSlice,
} from './ui-slice';

export type AppState = FleetSlice &
  RunsSlice &
  ModelSlice &
  PromptsSlice &
  CompareSlice &
  BudgetSlice &
  SettingsSlice &
  UiSlice;

export type AppStore = StoreApi<AppState>;

const memoryThemeStorage: ThemeStorage = {
  load: () => null,
  save: () => {},
  systemPrefersDark: () => false,
};

/** The one store, composed of typed slices; each slice talks to main only through `bridge`. */
export function createAppStore(
  bridge: BridgePort,
  themeStorage: ThemeStorage = memoryThemeStorage,
  readMarks: ReadMarksStorage = memoryReadMarks(),
): AppStore {
  return createStore<AppState>()((set, get) => ({
    ...createFleetSlice(set, get, bridge),
    ...createRunsSlice(set, get, bridge),
    ...createModelSlice(set, get, bridge),
    ...createPromptsSlice(set, get, bridge),
    ...createCompareSlice(set, get, bridge),
    ...createBudgetSlice(set, get, bridge),
    ...createSettingsSlice(set, get, bridge),
    ...createUiSlice(themeStorage, readMarks)(set, get, bridge),
  }));
}

export const StoreContext = createContext<AppStore | null>(null);

export function useAppStore(): AppStore {
  const store = useContext(StoreContext);
  if (store === null) throw new Error('useApp outside <StoreContext.Provider>');
  return store;
}

/** Reads the store through a narrow selector (wrap object results in useShallow). */
export function useApp<T>(selector: (state: AppState) => T): T {
  return useStore(useAppStore(), selector);
}

/** The actions, for event handlers: reading them never subscribes a component to changes. */
export function useActions(): AppState {
  return useAppStore().getState();
}
