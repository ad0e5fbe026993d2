import { describeImport, importSimulatedFleet } from '../../services/fleet-files';
import { openWorkspace } from '../../services/workspace';
import { type CliContext, EXIT } from '../context';

export async function runInit(options: { force?: boolean }, context: CliContext): Promise<number> {
  const workspace = openWorkspace(context.dataDir);
  try {
    const existing = workspace.fleet.listModels().length;
    if (existing > 0 && !options.force) {
      context.stdout.write(
        `workspace ${context.dataDir} already has ${existing} models; nothing changed (use --force to re-import the simulated fleet)\n`,
      );
      return EXIT.ok;
    }
    const result = importSimulatedFleet(workspace, 'fleetdeck init: built-in simulated fleet');
    if (existing > 0) {
      // --force resets the simulated models to the shipped fleet (an inactive one is active again):
      // say what that changed rather than "created".
      context.stdout.write(`re-imported the SIMULATED fleet into ${context.dataDir}: ${describeImport(result)}\n`);
      return EXIT.ok;
    }
    context.stdout.write(
      `created workspace ${context.dataDir} with the SIMULATED fleet (${result.created.length + result.updated.length + result.unchanged.length} models on the built-in simulator, no API key needed)\n` +
        'next: fleetdeck status, fleetdeck canary --all, or import your own providers with fleetdeck fleet import FILE\n',
    );
    return EXIT.ok;
  } finally {
    workspace.close();
  }
}
