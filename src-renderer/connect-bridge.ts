/**
 * The one seam between the app and its transport: main.tsx imports the bridge from here, and the
 * grid bench (bench/grid-render/vite.config.mts) swaps this module for an in-memory bridge.
 */
export { connectBridge } from './bridge';
