import type {
  BridgeError,
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
} from '../../src-shared/ipc';

/**
 * What the store needs from the bridge: one typed call per contract channel and one typed
 * subscription per push event. `src-renderer/bridge` provides it over Electron's preload or
 * HTTP + SSE; tests and the grid bench pass a fake.
 */
export interface BridgePort {
  call<C extends Channel>(channel: C, input: ChannelInput<C>): Promise<ChannelOutput<C>>;
  subscribe<E extends EventName>(
    event: E,
    listener: (payload: EventPayload<E>) => void,
  ): () => void;
}

/** An error as the UI shows it: what happened, the problems by field, and what to do next. */
export interface UiError {
  code: BridgeError['code'] | 'unavailable';
  message: string;
  problems: string[];
  hint: string;
}

const HINTS: Record<UiError['code'], string> = {
  invalid_input: 'Fix the fields listed and try again.',
  not_found: 'It may have been removed or renamed: reload the fleet and pick it again.',
  conflict: 'Someone changed it meanwhile: reload to see the latest version, then retry.',
  unauthorized: 'Set or check the provider key in Settings → Providers and keys.',
  internal: 'Retry; if it keeps failing, check the Fleetdeck log in the data folder.',
  unavailable: 'The Fleetdeck back end did not answer: check that it is still running, then retry.',
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** Reads whatever the bridge threw (a BridgeError-shaped object or a plain Error) as a UiError. */
export function toUiError(error: unknown): UiError {
  const body = isRecord(error) && isRecord(error.error) ? error.error : error;
  if (isRecord(body) && typeof body.code === 'string' && typeof body.message === 'string') {
    const code = (body.code in HINTS ? body.code : 'internal') as UiError['code'];
    const problems = Array.isArray(body.problems)
      ? body.problems.filter((problem): problem is string => typeof problem === 'string')
      : [];
    return { code, message: body.message, problems, hint: HINTS[code] };
  }
  const message = error instanceof Error ? error.message : String(error);
  const unavailable = /fetch|network|connect/i.test(message);
  const code = unavailable ? 'unavailable' : 'internal';
  return { code, message, problems: [], hint: HINTS[code] };
}

/** Runs an action, turning whatever the bridge throws into a UiError (shown next to its button). */
export async function withUiError<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toUiError(error);
  }
}
