import { createConsoleSession } from '../ipc/console-session';
import { ensureFleet } from '../ipc/first-launch';
import { handlerTable } from '../ipc/handler-table';
import { openEngineHost } from '../services/engine-host';
import { openWorkspace } from '../services/workspace';
import { type ConsoleServer, startConsoleServer } from './server';
import { SessionKeyStore } from './session-keys';

export interface ServeConsoleOptions {
  dataDir: string;
  staticDir: string;
  env: NodeJS.ProcessEnv;
  /** 0 picks a free port. */
  port: number;
  /** Recovery probes of disabled models every this many ms (0: never). */
  probeEveryMs: number;
}

export interface ServingConsole {
  server: ConsoleServer;
  /** Models created because the workspace was empty (first launch). */
  createdModels: number;
  close(): Promise<void>;
}

/**
 * The headless console: the workspace (given the simulated fleet on first launch), the engine
 * with its in-process simulator, keys for this session only, and the handler table served on
 * 127.0.0.1 with push events batched to ~10 a second.
 */
export async function serveConsole(options: ServeConsoleOptions): Promise<ServingConsole> {
  const workspace = openWorkspace(options.dataDir);
  let createdModels: number;
  try {
    createdModels = ensureFleet(
      workspace,
      'fleetdeck serve: first launch, built-in simulated fleet',
    );
  } catch (error) {
    workspace.close();
    throw error;
  }
  const keys = new SessionKeyStore();
  const host = await openEngineHost(workspace, {
    env: options.env,
    keyFor: (providerId) => keys.current(providerId),
  });
  let server: ConsoleServer | undefined;
  const session = createConsoleSession({ host, keys, send: (events) => server?.broadcast(events) });
  try {
    server = await startConsoleServer({
      table: handlerTable,
      deps: session.deps,
      staticDir: options.staticDir,
      port: options.port,
      dispatchOptions: {
        onInternalError: (channel, error) =>
          host.logger.error({ channel, err: error }, 'handler failed'),
      },
    });
  } catch (error) {
    await session.close();
    await host.close();
    workspace.close();
    throw error;
  }
  const stopProbes = session.scheduleProbes(options.probeEveryMs);
  const running = server;
  return {
    server: running,
    createdModels,
    close: async () => {
      stopProbes();
      await running.close();
      await session.close();
      await host.close();
      workspace.close();
    },
  };
}
