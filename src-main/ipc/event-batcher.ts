import type { EventName, EventPayload } from '../../src-shared/ipc';

export interface BatchedEvent<E extends EventName = EventName> {
  event: E;
  payload: EventPayload<E>;
}

export interface EventBatcherOptions {
  /** Receives each flush: at most one event per kind and key (fleet.changed merged into one). */
  send(events: BatchedEvent[]): void;
  /** Shortest time between two flushes (default 100 ms: about 10 updates a second). */
  intervalMs?: number;
  now?: () => number;
}

export interface EventBatcher {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Sends whatever is pending now (shutdown, tests). */
  flush(): void;
  close(): void;
}

/**
 * Coalesces push events so the renderer gets at most one flush per interval however fast calls
 * complete: the latest `run.progress` per run, one `run.finished` per run, one `fleet.changed`
 * with the union of model ids, every notification (they are rare and each one matters). Order
 * within a flush follows the first arrival of each key, so a run's last progress precedes its
 * `run.finished`.
 */
export function createEventBatcher(options: EventBatcherOptions): EventBatcher {
  const interval = options.intervalMs ?? 100;
  const now = options.now ?? Date.now;
  let pending = new Map<string, BatchedEvent>();
  let changedModels = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastFlush = Number.NEGATIVE_INFINITY;
  let closed = false;
  let notificationSequence = 0;

  const flush = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    pending = new Map();
    const modelIds = [...changedModels];
    changedModels = new Set();
    for (const item of batch)
      if (item.event === 'fleet.changed')
        (item as BatchedEvent<'fleet.changed'>).payload = { modelIds };
    lastFlush = now();
    options.send(batch);
  };

  const keyOf = <E extends EventName>(event: E, payload: EventPayload<E>): string => {
    switch (event) {
      case 'run.progress':
      case 'run.finished':
        return `${event}:${(payload as EventPayload<'run.progress'>).runId}`;
      case 'fleet.changed':
        return event;
      default:
        return `${event}:${++notificationSequence}`;
    }
  };

  return {
    emit(event, payload) {
      if (closed) return;
      if (event === 'fleet.changed') {
        for (const id of (payload as EventPayload<'fleet.changed'>).modelIds) changedModels.add(id);
      }
      const key = keyOf(event, payload);
      const existing = pending.get(key);
      if (existing) existing.payload = payload;
      else pending.set(key, { event, payload } as BatchedEvent);
      if (timer === undefined) timer = setTimeout(flush, Math.max(0, lastFlush + interval - now()));
    },
    flush,
    close() {
      flush();
      closed = true;
    },
  };
}
