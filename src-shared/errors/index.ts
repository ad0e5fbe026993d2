/**
 * The one error taxonomy. Retry and fallback logic read only `class`, `retryable` and `terminal`.
 * - retryable: worth another attempt on the same model (after backoff).
 * - terminal: never retried on the same model (the request or account is wrong, not the moment).
 * Neither: a failed prediction that a fallback may still answer (parse/schema errors, open circuit).
 */
export const ERROR_CLASSES = [
  'timeout',
  'rate_limited',
  'overloaded',
  'server_error',
  'network',
  'stream_truncated',
  'auth',
  'not_found',
  'bad_request',
  'empty_response',
  'parse_error',
  'schema_error',
  'budget_exceeded',
  'circuit_open',
  'disabled',
  'cancelled',
] as const;
export type ErrorClass = (typeof ERROR_CLASSES)[number];

interface ErrorClassInfo {
  retryable: boolean;
  terminal: boolean;
  /** Counts toward auto-disable and the circuit breaker (a 429 means throttled, not unhealthy). */
  countsAsModelFailure: boolean;
  description: string;
}

/**
 * Failures a pinned config or prompt variant can cause by itself: an unusable reply (the prompt and
 * handler decide these), a deadline the config set too short, and a request the provider refused
 * for its size or parameters (a long override passing the context window). A run that tests a
 * config the model does not run (a compare cell, a trial of a draft) tells nothing about the
 * model's health from them; the provider's own failures (5xx, network, 404, truncated streams) it does.
 */
export const PINNED_CONFIG_FAILURES: ReadonlySet<ErrorClass> = new Set<ErrorClass>([
  'empty_response',
  'parse_error',
  'schema_error',
  'timeout',
  'bad_request',
]);

export const ERROR_CLASS_INFO: Readonly<Record<ErrorClass, ErrorClassInfo>> = {
  timeout: {
    retryable: true,
    terminal: false,
    countsAsModelFailure: true,
    description: 'deadline passed (call, first token or idle between chunks)',
  },
  rate_limited: {
    retryable: true,
    terminal: false,
    countsAsModelFailure: false,
    description: 'HTTP 429: throttled, not unhealthy',
  },
  overloaded: {
    retryable: true,
    terminal: false,
    countsAsModelFailure: true,
    description: 'HTTP 503 or 529: provider overloaded',
  },
  server_error: {
    retryable: true,
    terminal: false,
    countsAsModelFailure: true,
    description: 'HTTP 5xx other than 503/529',
  },
  network: {
    retryable: true,
    terminal: false,
    countsAsModelFailure: true,
    description: 'connection refused, reset or closed before a reply',
  },
  stream_truncated: {
    retryable: true,
    terminal: false,
    countsAsModelFailure: true,
    description: 'stream ended without a finish_reason',
  },
  // A key problem is the provider account's, not the model's: a wrong key must not auto-disable
  // every model of the provider (and their fallbacks) on the way.
  auth: {
    retryable: false,
    terminal: true,
    countsAsModelFailure: false,
    description: 'HTTP 401/403, or no key set: key missing, wrong or not allowed',
  },
  not_found: {
    retryable: false,
    terminal: true,
    countsAsModelFailure: true,
    description: 'HTTP 404: the provider does not serve this model id',
  },
  bad_request: {
    retryable: false,
    terminal: true,
    countsAsModelFailure: true,
    description: 'HTTP 400/413/422: context length, content policy or parameters',
  },
  empty_response: {
    retryable: false,
    terminal: false,
    countsAsModelFailure: true,
    description: 'the reply had no answer text',
  },
  parse_error: {
    retryable: false,
    terminal: false,
    countsAsModelFailure: true,
    description: 'no JSON answer could be read from the reply',
  },
  schema_error: {
    retryable: false,
    terminal: false,
    countsAsModelFailure: true,
    description: 'JSON read, but not the task schema',
  },
  budget_exceeded: {
    retryable: false,
    terminal: true,
    countsAsModelFailure: false,
    description: 'the daily or run budget cannot admit this call',
  },
  circuit_open: {
    retryable: false,
    terminal: false,
    countsAsModelFailure: false,
    description: 'circuit breaker open for this provider and model',
  },
  disabled: {
    retryable: false,
    terminal: true,
    countsAsModelFailure: false,
    description: 'model is disabled',
  },
  cancelled: {
    retryable: false,
    terminal: true,
    countsAsModelFailure: false,
    description: 'the run was cancelled',
  },
};

export function isRetryable(errorClass: ErrorClass): boolean {
  return ERROR_CLASS_INFO[errorClass].retryable;
}

export function isTerminal(errorClass: ErrorClass): boolean {
  return ERROR_CLASS_INFO[errorClass].terminal;
}

export interface CallError {
  class: ErrorClass;
  message: string;
  httpStatus?: number | undefined;
}

/** Thrown by CRUD-style operations on bad input; failed calls are results, not exceptions. */
/**
 * File-system error codes an operator can act on, in words, shared by every place that reads,
 * writes or opens a file for them (each adds the codes its own context words differently).
 */
export const FILE_SYSTEM_REASONS: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  ENOTDIR: 'a folder on its path is a file',
};

export class InputError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[] = [message],
  ) {
    super(message);
    this.name = 'InputError';
  }
}

/** A precondition about stored state did not hold (unknown id, stale version). */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotFoundError';
  }
}
