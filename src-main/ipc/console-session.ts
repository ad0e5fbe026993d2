import type { NotificationView } from '../../src-shared/ipc';
import { runRecoveryProbe } from '../services/recovery-probe';
import type { EngineHost } from '../services/engine-host';
import { type BatchedEvent, createEventBatcher, type EventBatcher } from './event-batcher';
import type { KeyStore } from './keys';
import { BudgetWatch, NotificationFeed } from './notifications';
import { RunManager } from './run-manager';
import type { HandlerDeps } from './types';

export interface ConsoleSessionOptions {
  host: EngineHost;
  keys: KeyStore;
  /** Receives push events, at most one batch per `batchIntervalMs`. */
  send(events: BatchedEvent[]): void;
  /** Each notification as it is pushed (Electron shows a desktop notification). */
  onNotification?: (notification: NotificationView) => void;
  batchIntervalMs?: number;
}

export interface ConsoleSession {
  deps: HandlerDeps;
  runs: RunManager;
  feed: NotificationFeed;
  batcher: EventBatcher;
  /** Starts a recovery probe of the disabled models now, unless one is running; resolves when it ends. */
  probe(): Promise<void>;
  /** Probes every `intervalMs` (0: never); returns a function that stops the schedule. */
  scheduleProbes(intervalMs: number): () => void;
  /** Cancels running runs, waits for them, sends the last events. The host is the caller's. */
  close(): Promise<void>;
}

/**
 * What both transports (Electron IPC and `fleetdeck serve`) build around one engine host: the
 * handler deps, the run manager, the notification feed with the budget watch, the event
 * batcher, and the recovery-probe schedule.
 */
export function createConsoleSession(options: ConsoleSessionOptions): ConsoleSession {
  const { host, keys } = options;
  const batcher = createEventBatcher({ send: options.send, intervalMs: options.batchIntervalMs });
  const feed = new NotificationFeed();
  feed.onPush((notification) => {
    batcher.emit('notification', notification);
    options.onNotification?.(notification);
  });
  const budget = new BudgetWatch(() => host.ledger.snapshot(), feed);
  const runs = new RunManager({
    emit: (event, payload) => batcher.emit(event, payload),
    notifications: feed,
    afterItem: () => budget.check(),
    markFailed: (runId) => host.runs.setStatus(runId, 'failed'),
    onError: (runId, error) => host.logger.error({ runId, err: error }, 'console run failed'),
  });
  const deps: HandlerDeps = {
    host,
    runs,
    keys,
    notifications: feed,
    emit: (event, payload) => batcher.emit(event, payload),
  };

  let probing: Promise<void> | undefined;
  const probe = (): Promise<void> => {
    if (probing) return probing;
    probing = runs
      .start('probe', (signal, onEvent) => runRecoveryProbe(host, { signal, onEvent }))
      .then(({ runId }) => runs.settled(runId))
      .catch((error: unknown) => {
        // Nothing disabled: the probe ends before it starts, which is not an error.
        if (!(error instanceof Error && /ended before it started/.test(error.message)))
          host.logger.warn({ err: error }, 'recovery probe failed');
      })
      .finally(() => {
        probing = undefined;
      });
    return probing;
  };

  return {
    deps,
    runs,
    feed,
    batcher,
    probe,
    scheduleProbes(intervalMs) {
      if (intervalMs <= 0) return () => {};
      const timer = setInterval(() => void probe(), intervalMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    async close() {
      await runs.close();
      batcher.close();
    },
  };
}
