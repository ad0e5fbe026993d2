import type {
  BridgeError,
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
} from './contract';

/**
 * The contract's channel and event names as plain data, with no runtime imports, so the
 * sandboxed Electron preload (which may not load npm packages such as zod) can expose one
 * function per channel. A test checks these lists equal the contract's keys.
 */
export const CHANNEL_NAMES = [
  'fleet.status',
  'fleet.export',
  'fleet.import',
  'model.detail',
  'model.checkConfig',
  'model.saveConfig',
  'model.tryConfig',
  'model.diff',
  'model.rollback',
  'model.setVerdict',
  'model.enable',
  'calls.list',
  'calls.request',
  'runs.list',
  'runs.get',
  'runs.startCanary',
  'runs.cancel',
  'runs.resume',
  'prompts.catalog',
  'prompts.history',
  'prompts.compose',
  'prompts.plan',
  'prompts.save',
  'regress.start',
  'regress.report',
  'regress.rollback',
  'compare.start',
  'compare.get',
  'budget.summary',
  'settings.get',
  'settings.saveBudget',
  'settings.saveProvider',
  'settings.setKey',
  'settings.clearKey',
  'status.export',
  'status.import',
  'notifications.list',
  'simulator.faults',
  'simulator.inject',
  'simulator.clear',
] as const satisfies readonly Channel[];

export const EVENT_NAME_LIST = [
  'run.progress',
  'run.finished',
  'fleet.changed',
  'notification',
] as const satisfies readonly EventName[];

/** What every call answers across a transport: the value, or the error as data. */
export type CallResult<C extends Channel> =
  | { ok: true; value: ChannelOutput<C> }
  | { ok: false; error: BridgeError };

/**
 * `window.fleetdeck` in the Electron renderer: one function per channel (never a raw invoke)
 * and `on(event, listener)` returning an unsubscribe function.
 */
export type PreloadApi = { [C in Channel]: (input: ChannelInput<C>) => Promise<CallResult<C>> } & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

/** The serve transport's names: one POST route per channel, one server-sent event stream. */
export const SERVE_API_PREFIX = '/api/';
export const SERVE_EVENTS_PATH = '/api/events';
export const SERVE_TOKEN_HEADER = 'x-fleetdeck-token';
export const SERVE_TOKEN_QUERY = 'token';

/** Electron's IPC channel names: `fleetdeck:<channel>` for calls, `fleetdeck-event:<event>` for pushes. */
export const ELECTRON_CALL_PREFIX = 'fleetdeck:';
export const ELECTRON_EVENT_PREFIX = 'fleetdeck-event:';
