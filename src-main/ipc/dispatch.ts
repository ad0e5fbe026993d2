import { z } from 'zod';
import { InputError, NotFoundError } from '../../src-shared/errors';
import { type BridgeError, type CallResult, type Channel, contract } from '../../src-shared/ipc';
import type { HandlerDeps, HandlerTable } from './types';

/**
 * Who is calling, as the transport saw it: Electron passes the sender frame's URL, serve the
 * request's Origin (after its token check). `trusted` is the transport's allow-list predicate.
 */
export interface Sender {
  url: string | undefined;
  trusted(url: string | undefined): boolean;
}

export interface DispatchOptions {
  /**
   * Parse every output with the contract's output schema too (a mismatch becomes an `internal`
   * error). On under vitest and with FLEETDECK_CHECK_OUTPUT=1 (the e2e server); off in production.
   */
  checkOutput?: boolean;
  /** Unexpected failures are reported here (the log) before the caller gets an `internal` error. */
  onInternalError?: (channel: string, error: unknown) => void;
}

const DEFAULT_CHECK_OUTPUT =
  process.env.VITEST !== undefined || process.env.FLEETDECK_CHECK_OUTPUT === '1';

function isChannel(channel: string): channel is Channel {
  return Object.hasOwn(contract, channel);
}

/** `models.0: Invalid input`-style lines, one per zod issue ("input" for the whole object). */
export function zodProblems(error: z.ZodError): string[] {
  return error.issues.map(
    (issue) =>
      `${issue.path.length > 0 ? issue.path.map(String).join('.') : 'input'}: ${issue.message}`,
  );
}

function failure(
  code: BridgeError['code'],
  message: string,
  problems: string[] = [],
): { ok: false; error: BridgeError } {
  return { ok: false, error: { code, message, problems } };
}

/**
 * The one way into the handler table, for every transport: the channel must exist, the sender
 * must be trusted, and the input must parse with the contract's schema — only then does the
 * handler run. Failures come back as data (`{ok:false,error}`), never as thrown exceptions.
 */
export async function dispatch(
  table: HandlerTable,
  channel: string,
  rawInput: unknown,
  deps: HandlerDeps,
  sender: Sender,
  options: DispatchOptions = {},
): Promise<CallResult<Channel>> {
  if (!sender.trusted(sender.url))
    return failure('unauthorized', 'this caller is not the Fleetdeck console');
  if (!isChannel(channel))
    return failure('not_found', `unknown channel "${channel.slice(0, 100)}"`);
  const entry = contract[channel];
  const parsed = entry.input.safeParse(rawInput);
  if (!parsed.success) {
    return failure('invalid_input', `invalid input for ${channel}`, zodProblems(parsed.error));
  }
  let value: unknown;
  try {
    const handler = table[channel] as (input: unknown, deps: HandlerDeps) => Promise<unknown>;
    value = await handler(parsed.data, deps);
  } catch (error) {
    if (error instanceof InputError)
      return failure('invalid_input', error.message, [...error.problems]);
    if (error instanceof NotFoundError) return failure('not_found', error.message);
    if (error instanceof z.ZodError)
      return failure('invalid_input', `invalid data for ${channel}`, zodProblems(error));
    options.onInternalError?.(channel, error);
    return failure('internal', error instanceof Error ? error.message : String(error));
  }
  if (options.checkOutput ?? DEFAULT_CHECK_OUTPUT) {
    const checked = entry.output.safeParse(value);
    if (!checked.success) {
      options.onInternalError?.(channel, checked.error);
      return failure(
        'internal',
        `the ${channel} handler answered outside its contract`,
        zodProblems(checked.error),
      );
    }
  }
  return { ok: true, value } as CallResult<Channel>;
}
