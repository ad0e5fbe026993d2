/**
 * Counters the grid bench reads (exposed as `window.__fleetdeckStats` by main.tsx). Plain
 * mutable numbers, deliberately outside the store so counting never notifies a subscriber.
 */
export const renderStats = {
  eventsReceived: 0,
  fleetRefreshes: 0,
  rowsChanged: 0,
  rowRenders: 0,
};
export type RenderStats = typeof renderStats;
