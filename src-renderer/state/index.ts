export type { BridgePort, UiError } from './bridge-port';
export { toUiError } from './bridge-port';
export { CHIP_STATUSES, type ChipStatus } from './chip-status';
export { facetValues, statusCounts, visibleModelIds } from './fleet-view';
export type { Loadable } from './loadable';
export { connectPushEvents, eventHandlers } from './push-events';
export { renderStats } from './stats';
export {
  type AppState,
  type AppStore,
  createAppStore,
  StoreContext,
  useActions,
  useApp,
  useAppStore,
} from './store';
