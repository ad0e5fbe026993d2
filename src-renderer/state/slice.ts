import type { StoreApi } from 'zustand/vanilla';
import type { BridgePort } from './bridge-port';
import type { AppState } from './store';

/** A slice gets the composed store's set/get and the bridge; only slices talk to the bridge. */
export type SliceCreator<T> = (
  set: StoreApi<AppState>['setState'],
  get: () => AppState,
  bridge: BridgePort,
) => T;
