import type { ChannelInput, ChannelOutput } from '../../src-shared/ipc';
import { toUiError, withUiError } from './bridge-port';
import { failed, type Loadable, loading, ready } from './loadable';
import type { SliceCreator } from './slice';

export type Settings = ChannelOutput<'settings.get'>;
export type BudgetInput = ChannelInput<'settings.saveBudget'>['budget'];
export type ProviderInput = ChannelInput<'settings.saveProvider'>['provider'];
export type ExportedFile = { fileName: string; content: string };

export interface SettingsSlice {
  settings: Loadable<Settings>;
  loadSettings(): Promise<void>;
  /** Saves the budget; answers what main warns of it (a cap that leaves today's calls no room). */
  saveBudget(budget: BudgetInput): Promise<string[]>;
  saveProvider(provider: ProviderInput): Promise<void>;
  setKey(providerId: string, key: string, allowPlainText: boolean): Promise<void>;
  clearKey(providerId: string): Promise<void>;
  exportStatus(): Promise<ExportedFile>;
  importStatus(content: string, dryRun: boolean): Promise<ChannelOutput<'status.import'>>;
  exportFleet(): Promise<ExportedFile>;
  importFleet(content: string, dryRun: boolean): Promise<ChannelOutput<'fleet.import'>>;
}

export const createSettingsSlice: SliceCreator<SettingsSlice> = (set, get, bridge) => {
  return {
    settings: { status: 'idle', data: null, error: null },

    async loadSettings() {
      set({ settings: loading(get().settings) });
      try {
        set({ settings: ready(await bridge.call('settings.get', {})) });
      } catch (error) {
        set({ settings: failed(get().settings, toUiError(error)) });
      }
    },

    async saveBudget(budget) {
      const saved = await withUiError(() => bridge.call('settings.saveBudget', { budget }));
      get().invalidateBudget();
      await get().loadSettings();
      return saved.warnings ?? [];
    },

    async saveProvider(provider) {
      await withUiError(() => bridge.call('settings.saveProvider', { provider }));
      await get().loadSettings();
    },

    async setKey(providerId, key, allowPlainText) {
      await withUiError(() => bridge.call('settings.setKey', { providerId, key, allowPlainText }));
      await get().loadSettings();
    },

    async clearKey(providerId) {
      await withUiError(() => bridge.call('settings.clearKey', { providerId }));
      await get().loadSettings();
    },

    exportStatus: () => withUiError(() => bridge.call('status.export', {})),

    async importStatus(content, dryRun) {
      const result = await withUiError(() => bridge.call('status.import', { content, dryRun }));
      if (result.applied) await get().loadFleet();
      return result;
    },

    exportFleet: () => withUiError(() => bridge.call('fleet.export', {})),

    async importFleet(content, dryRun) {
      const result = await withUiError(() => bridge.call('fleet.import', { content, dryRun }));
      if (result.ok && !dryRun) await get().loadFleet();
      return result;
    },
  };
};
