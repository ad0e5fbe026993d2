import type { EventName, EventPayload } from '../../src-shared/ipc';
import { EVENT_NAMES } from '../../src-shared/ipc';
import type { BridgePort } from './bridge-port';
import type { AppState } from './store';
import { renderStats } from './stats';

type EventHandlers = { [E in EventName]: (state: AppState, payload: EventPayload<E>) => void };

/** The one place push events from main become slice actions. */
export const eventHandlers: EventHandlers = {
  'run.progress': (state, progress) => state.applyRunProgress(progress),
  'run.finished': (state, finished) => state.applyRunFinished(finished),
  'fleet.changed': (state, changed) => state.refreshModels(changed.modelIds),
  notification: (state, notification) => state.receiveNotification(notification),
};

export function applyPushEvent<E extends EventName>(
  state: AppState,
  event: E,
  payload: EventPayload<E>,
): void {
  renderStats.eventsReceived++;
  eventHandlers[event](state, payload);
}

/** Subscribes every push event; returns one function that unsubscribes them all. */
export function connectPushEvents(bridge: BridgePort, getState: () => AppState): () => void {
  const unsubscribers = EVENT_NAMES.map((event) =>
    bridge.subscribe(event, (payload) => applyPushEvent(getState(), event, payload)),
  );
  return () => {
    for (const unsubscribe of unsubscribers) unsubscribe();
  };
}
