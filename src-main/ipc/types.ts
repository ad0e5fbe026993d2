import type { Channel, ChannelOutput, ChannelParsedInput, EventName, EventPayload, NotificationView } from '../../src-shared/ipc';
import type { RunEvent } from '../services/run-executor';
import type { EngineHost } from '../services/engine-host';

/** Starts work in the background and tracks it: the console's runs (canary, regression, compare). */
export interface RunManagerLike {
  /**
   * Starts `work` without waiting for it. Resolves with the run id as soon as the run is created
   * (its `run-started` event), so the UI can follow it at once; progress is pushed as events.
   */
  start(kind: string, work: (signal: AbortSignal, onEvent: (event: RunEvent) => void) => Promise<unknown>): Promise<{ runId: string }>;
  cancel(runId: string): boolean;
  isRunning(runId: string): boolean;
  /** Resolves when the run's work has settled (tests, shutdown). */
  settled(runId: string): Promise<void>;
}

/** Where provider keys live. Keys go in; only masked forms come out. */
export interface KeyStoreLike {
  kind: 'os-keychain' | 'session-only';
  /** Whether a stored key would only be obfuscated (basic_text), so saving one needs an opt-in. */
  plainTextOnly(): boolean;
  set(providerId: string, key: string, options: { allowPlainText: boolean }): Promise<void>;
  clear(providerId: string): Promise<void>;
  /** The key for the engine (main process only); never handed to a handler's result. */
  get(providerId: string): Promise<string | undefined>;
  has(providerId: string): boolean;
  masked(providerId: string): string | null;
}

export interface NotificationFeedLike {
  push(notification: Omit<NotificationView, 'id' | 'at'>): NotificationView;
  list(limit: number): NotificationView[];
}

/** What every handler gets: plain objects, so unit tests build them without Electron or HTTP. */
export interface HandlerDeps {
  host: EngineHost;
  runs: RunManagerLike;
  keys: KeyStoreLike;
  notifications: NotificationFeedLike;
  /** Pushes an event to the renderer; the transport batches to ~10 updates a second. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
}

/** A handler is a plain named function of its parsed input; failures throw InputError/NotFoundError. */
export type Handler<C extends Channel> = (input: ChannelParsedInput<C>, deps: HandlerDeps) => Promise<ChannelOutput<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };
