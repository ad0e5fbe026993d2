import type { EventName, EventPayload } from '../src-shared/ipc';
import { resourcesDir } from '../src-main/paths';
import { type ConsoleSession, createConsoleSession } from '../src-main/ipc/console-session';
import type { BatchedEvent } from '../src-main/ipc/event-batcher';
import { SessionKeyStore } from '../src-main/serve/session-keys';
import { type EngineHost, openEngineHost } from '../src-main/services/engine-host';
import { importFleet, readJsonFile } from '../src-main/services/fleet-files';
import { openWorkspace, type Workspace } from '../src-main/services/workspace';
import { FAST_ENGINE } from './engine-harness';
import { makeTempDir } from './temp-dir';

export interface ConsoleHarness {
  dataDir: string;
  workspace: Workspace;
  host: EngineHost;
  keys: SessionKeyStore;
  session: ConsoleSession;
  /** Every batched push event sent so far. */
  events: BatchedEvent[];
  eventsOf<E extends EventName>(event: E): EventPayload<E>[];
  close(): Promise<void>;
}

/**
 * A console session as `fleetdeck serve` builds it, on a fresh workspace holding the built-in
 * simulated fleet with its in-process simulator (latency off), keys kept for the session.
 */
export async function openConsoleHarness(
  options: { env?: NodeJS.ProcessEnv; forward?: (events: BatchedEvent[]) => void } = {},
): Promise<ConsoleHarness> {
  const temp = makeTempDir('fleetdeck-console-');
  const workspace = openWorkspace(temp.dir);
  const read = readJsonFile(resourcesDir('fleets', 'simulated.json'));
  if (!read.ok) throw new Error(read.problem.message);
  const imported = importFleet(workspace, read.value, 'console harness');
  if (!imported.ok) throw new Error(JSON.stringify(imported.problems));
  const keys = new SessionKeyStore();
  const host = await openEngineHost(workspace, {
    env: options.env ?? {},
    simulatorLatencyScale: 0,
    logToFile: false,
    engineOptions: FAST_ENGINE,
    keyFor: (providerId) => keys.current(providerId),
  });
  const events: BatchedEvent[] = [];
  const session = createConsoleSession({
    host,
    keys,
    send: (batch) => {
      events.push(...batch);
      options.forward?.(batch);
    },
    batchIntervalMs: 10,
  });
  return {
    dataDir: temp.dir,
    workspace,
    host,
    keys,
    session,
    events,
    eventsOf: <E extends EventName>(event: E) =>
      events.filter((item) => item.event === event).map((item) => item.payload as EventPayload<E>),
    close: async () => {
      await session.close();
      await host.close();
      workspace.close();
      temp.cleanup();
    },
  };
}
