import { importSimulatedFleet } from '../services/fleet-files';
import type { Workspace } from '../services/workspace';

/**
 * First launch reaches a working screen in one step: an empty workspace gets the built-in
 * simulated fleet (no API key needed), as `fleetdeck init` does. Answers how many models it
 * created (0 when the workspace already had some).
 */
export function ensureFleet(workspace: Workspace, note: string): number {
  if (workspace.fleet.listModels().length > 0) return 0;
  return importSimulatedFleet(workspace, note).created.length;
}
