import type { IncomingHttpHeaders } from 'node:http';
import { TextDecoder } from 'node:util';
import { createParser, type EventSourceParser } from 'eventsource-parser';
import type { Dispatcher } from 'undici';
import type { CallError } from '../../../src-shared/errors';
import { classifyStatus, isNetworkError } from './classify-status';
import { parseRetryAfter } from './retry-after';

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** The OpenAI-compatible request body we send. */
export interface ChatRequestBody {
  model: string;
  messages: ChatMessage[];
  max_tokens: number;
  temperature: number;
  stream: boolean;
  stream_options?: { include_usage: boolean };
  response_format?: { type: 'json_object' };
  stop?: string[];
}

export interface Deadlines {
  /** The whole call, from send to the last byte. */
  totalMs: number;
  /** Streams only: from send to the first content or reasoning delta. */
  firstTokenMs: number;
  /** Streams only: the longest silence allowed between two chunks. */
  idleMs: number;
}

export interface ChatUsage {
  promptTokens: number | undefined;
  completionTokens: number | undefined;
  /** Part of completionTokens (OpenAI semantics), reported separately for the record. */
  reasoningTokens: number | undefined;
}

export interface ChatOutcome {
  ok: boolean;
  content: string;
  reasoning: string | undefined;
  finishReason: string | undefined;
  usage: ChatUsage;
  httpStatus: number | undefined;
  /** Streams only: a reply that is not streamed arrives whole, so it has no first token of its own. */
  ttftMs: number | undefined;
  latencyMs: number;
  error: CallError | undefined;
  /** What the provider asked us to wait before retrying (429/503). */
  retryAfterMs: number | undefined;
  /** SSE events whose data was not JSON (skipped). */
  malformedEvents: number;
}

export interface SendOptions {
  /** Base URL including /v1. */
  baseUrl: string;
  apiKey: string | undefined;
  body: ChatRequestBody;
  deadlines: Deadlines;
  dispatcher: Dispatcher;
  signal?: AbortSignal | undefined;
  /** Streams: called once, when the first content or reasoning delta arrives. */
  onFirstToken?: (() => void) | undefined;
}

const NO_USAGE: ChatUsage = { promptTokens: undefined, completionTokens: undefined, reasoningTokens: undefined };

type DeadlineKind = 'total' | 'first-token' | 'idle';

/** Where a base URL's chat endpoint is, parsed once per base URL (a handful: one per provider). */
const endpoints = new Map<string, { origin: string; path: string }>();
function chatEndpoint(baseUrl: string): { origin: string; path: string } {
  let endpoint = endpoints.get(baseUrl);
  if (!endpoint) {
    if (endpoints.size >= 256) endpoints.clear(); // base URLs edited over a long session
    const url = new URL(`${baseUrl}/chat/completions`);
    endpoint = { origin: url.origin, path: `${url.pathname}${url.search}` };
    endpoints.set(baseUrl, endpoint);
  }
  return endpoint;
}

/** An error body is summarised in 300 characters: no more of it is kept than this. */
const ERROR_BODY_BYTES = 16 * 1024;
const utf8 = new TextDecoder();

/**
 * One HTTP attempt against an OpenAI-compatible endpoint. Never retries (the engine is the one
 * retry owner) and never throws: every failure is a classified outcome, with the partial text and
 * usage of a stream kept. A stream is a success only if a `finish_reason` arrived.
 *
 * Sent through undici's dispatch handler API rather than `request()`: the reply's bytes come to
 * the handler as they arrive, with no Readable stream and no promise per chunk in between (the
 * engine bench measured that at a quarter of the bare `request()` loop's CPU per call).
 */
export function sendChat(options: SendOptions): Promise<ChatOutcome> {
  return new Promise((resolve) => new ChatAttempt(options, resolve).send());
}

type Reading =
  | { kind: 'error'; chunks: Buffer[]; bytes: number; retryAfterMs: number | undefined }
  | { kind: 'completion'; chunks: Buffer[] }
  | { kind: 'stream'; decoder: TextDecoder; parser: EventSourceParser };

class ChatAttempt implements Dispatcher.DispatchHandler {
  private readonly started = performance.now();
  private readonly state = {
    content: '',
    reasoning: '',
    finishReason: undefined as string | undefined,
    usage: NO_USAGE,
    ttftMs: undefined as number | undefined,
    httpStatus: undefined as number | undefined,
    malformedEvents: 0,
    done: false,
  };
  private controller: Dispatcher.DispatchController | undefined;
  /** Why the request is to be aborted, kept until undici hands over its controller. */
  private abortReason: Error | undefined;
  private settled = false;
  /** undici is done with the request (its reply ended or failed): nothing is left to abort. */
  private finished = false;
  private reading: Reading | undefined;
  private totalTimer: NodeJS.Timeout | undefined;
  private firstTokenTimer: NodeJS.Timeout | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private readonly onOuterAbort = (): void => {
    this.settle({ class: 'cancelled', message: 'the run was cancelled' });
  };

  constructor(
    private readonly options: SendOptions,
    private readonly resolve: (outcome: ChatOutcome) => void,
  ) {}

  send(): void {
    const { options } = this;
    if (options.signal?.aborted) {
      this.settle({ class: 'cancelled', message: 'the run was cancelled' });
      return;
    }
    this.totalTimer = setTimeout(() => this.expire('total'), options.deadlines.totalMs);
    if (options.body.stream) {
      this.firstTokenTimer = setTimeout(() => this.expire('first-token'), options.deadlines.firstTokenMs);
    }
    options.signal?.addEventListener('abort', this.onOuterAbort, { once: true });
    try {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        accept: options.body.stream ? 'text/event-stream' : 'application/json',
      };
      if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
      const { origin, path } = chatEndpoint(options.baseUrl);
      options.dispatcher.dispatch(
        {
          origin,
          path,
          method: 'POST',
          headers,
          body: JSON.stringify(options.body),
          headersTimeout: options.deadlines.totalMs + 1000,
          bodyTimeout: 0,
        },
        this,
      );
    } catch (error) {
      this.fail(error);
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200 || this.settled) return; // 1xx: the real status follows
    this.state.httpStatus = statusCode;
    if (statusCode >= 400) {
      // The provider answered: no token will come, and its status (and Retry-After) is the outcome.
      clearTimeout(this.firstTokenTimer);
      this.reading = { kind: 'error', chunks: [], bytes: 0, retryAfterMs: parseRetryAfter(headers) };
    } else if (!this.options.body.stream) {
      this.reading = { kind: 'completion', chunks: [] };
    } else {
      this.reading = { kind: 'stream', decoder: new TextDecoder(), parser: this.sseParser() };
      this.restartIdleTimer();
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    const { reading } = this;
    if (this.settled || !reading) return;
    try {
      if (reading.kind === 'stream') {
        this.restartIdleTimer();
        reading.parser.feed(reading.decoder.decode(chunk, { stream: true }));
      } else if (reading.kind === 'completion') {
        reading.chunks.push(chunk);
      } else if (reading.bytes < ERROR_BODY_BYTES) {
        reading.chunks.push(chunk);
        reading.bytes += chunk.length;
      }
    } catch (error) {
      this.fail(error);
    }
  }

  onResponseEnd(): void {
    this.finished = true;
    const { reading, state } = this;
    if (this.settled || !reading) return;
    try {
      if (reading.kind === 'error') {
        const status = state.httpStatus ?? 0;
        this.settle(
          { class: classifyStatus(status), message: `HTTP ${status}: ${summariseErrorBody(decode(reading.chunks))}`, httpStatus: status },
          reading.retryAfterMs,
        );
      } else if (reading.kind === 'completion') {
        this.settle(readCompletion(decode(reading.chunks), state));
      } else {
        reading.parser.feed(reading.decoder.decode());
        this.settle(
          state.finishReason === undefined
            ? {
                class: 'stream_truncated',
                message: `stream ended without a finish_reason after ${state.content.length} characters${state.done ? ' ([DONE] arrived)' : ''}`,
              }
            : undefined,
        );
      }
    } catch (error) {
      this.fail(error);
    }
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.finished = true;
    this.fail(error);
  }

  /** A failure undici or the reading reported (a deadline or a cancel has settled already). */
  private fail(error: unknown): void {
    if (this.settled) return;
    const { state, reading } = this;
    const message = error instanceof Error ? error.message : String(error);
    if (reading?.kind === 'error') {
      // The error body broke: the status is the answer, with what of its body arrived.
      const status = state.httpStatus ?? 0;
      this.settle(
        { class: classifyStatus(status), message: `HTTP ${status}: ${summariseErrorBody(decode(reading.chunks))}`, httpStatus: status },
        reading.retryAfterMs,
      );
    } else if (state.httpStatus !== undefined && state.httpStatus < 400) {
      // The body broke after a 200: what arrived is kept; the reply is not a success.
      this.settle({ class: 'stream_truncated', message: `reply broke after ${state.content.length} characters: ${message}` });
    } else if (isNetworkError(error)) {
      this.settle({ class: 'network', message: `${(error as { code?: string }).code ?? 'network error'}: ${message}` });
    } else {
      this.settle({ class: 'network', message });
    }
  }

  private expire(kind: DeadlineKind): void {
    // A server that sent finish_reason and [DONE] but keeps the connection open has answered.
    if (kind === 'idle' && this.state.done && this.state.finishReason !== undefined) this.settle(undefined);
    else this.settle(deadlineError(kind, this.options.deadlines));
  }

  private restartIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.expire('idle'), this.options.deadlines.idleMs);
  }

  private sseParser(): EventSourceParser {
    const { state } = this;
    const onToken = (): void => {
      if (state.ttftMs !== undefined) return;
      state.ttftMs = performance.now() - this.started;
      clearTimeout(this.firstTokenTimer);
      this.options.onFirstToken?.();
    };
    return createParser({
      onEvent(event) {
        if (event.data === '[DONE]') {
          state.done = true;
          return;
        }
        let json: {
          choices?: { delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown }; finish_reason?: unknown }[];
          usage?: unknown;
        };
        try {
          json = JSON.parse(event.data);
        } catch {
          state.malformedEvents++;
          return;
        }
        const choice = json.choices?.[0];
        const delta = choice?.delta;
        if (typeof delta?.content === 'string' && delta.content !== '') {
          onToken();
          state.content += delta.content;
        }
        const reasoning = delta?.reasoning_content ?? delta?.reasoning;
        if (typeof reasoning === 'string' && reasoning !== '') {
          onToken();
          state.reasoning += reasoning;
        }
        if (typeof choice?.finish_reason === 'string') state.finishReason = choice.finish_reason;
        const usage = readUsage(json.usage);
        if (usage) state.usage = usage;
      },
    });
  }

  /**
   * Answers once: the first outcome wins (a deadline, a cancel, the reply's end or its failure),
   * and a request still open is aborted, so its connection is freed.
   */
  private settle(error: CallError | undefined, retryAfterMs?: number): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.totalTimer);
    clearTimeout(this.firstTokenTimer);
    clearTimeout(this.idleTimer);
    this.options.signal?.removeEventListener('abort', this.onOuterAbort);
    if (!this.finished) this.abortRequest();
    const { state } = this;
    this.resolve({
      ok: error === undefined,
      content: state.content,
      reasoning: state.reasoning === '' ? undefined : state.reasoning,
      finishReason: state.finishReason,
      usage: state.usage,
      httpStatus: state.httpStatus,
      ttftMs: state.ttftMs,
      latencyMs: performance.now() - this.started,
      error,
      retryAfterMs,
      malformedEvents: state.malformedEvents,
    });
  }

  private abortRequest(): void {
    this.abortReason ??= new Error('the call was ended before its reply was complete');
    this.controller?.abort(this.abortReason);
  }
}

function decode(chunks: Buffer[]): string {
  return chunks.length === 1 ? utf8.decode(chunks[0]) : utf8.decode(Buffer.concat(chunks));
}

function deadlineError(kind: DeadlineKind, deadlines: Deadlines): CallError {
  const message =
    kind === 'total'
      ? `no complete reply within ${deadlines.totalMs} ms`
      : kind === 'first-token'
        ? `first-token deadline: no first token within ${deadlines.firstTokenMs} ms (the call's deadline is ${deadlines.totalMs} ms)`
        : `stream stalled: no chunk for ${deadlines.idleMs} ms`;
  return { class: 'timeout', message };
}

type StreamState = {
  done: boolean;
  content: string;
  reasoning: string;
  finishReason: string | undefined;
  usage: ChatUsage;
  malformedEvents: number;
};

function readUsage(usage: unknown): ChatUsage | undefined {
  if (!usage || typeof usage !== 'object') return undefined;
  const record = usage as {
    prompt_tokens?: unknown;
    completion_tokens?: unknown;
    completion_tokens_details?: { reasoning_tokens?: unknown } | null;
  };
  const count = (value: unknown): number | undefined =>
    typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  return {
    promptTokens: count(record.prompt_tokens),
    completionTokens: count(record.completion_tokens),
    reasoningTokens: count(record.completion_tokens_details?.reasoning_tokens),
  };
}

/** A whole (not streamed) completion's text into the state; the error it amounts to, if any. */
function readCompletion(text: string, state: StreamState): CallError | undefined {
  let json: {
    choices?: { message?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown }; finish_reason?: unknown }[];
    usage?: unknown;
  };
  try {
    json = JSON.parse(text);
  } catch {
    return { class: 'server_error', message: `the provider answered 200 with a body that is not JSON: ${summariseErrorBody(text)}` };
  }
  const choice = json.choices?.[0];
  const message = choice?.message;
  state.content = typeof message?.content === 'string' ? message.content : '';
  const reasoning = message?.reasoning_content ?? message?.reasoning;
  state.reasoning = typeof reasoning === 'string' ? reasoning : '';
  state.finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined;
  state.usage = readUsage(json.usage) ?? NO_USAGE;
  return undefined;
}

/** First 300 characters of an error body, whitespace folded. */
function summariseErrorBody(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded === '') return '(empty body)';
  return folded.length > 300 ? `${folded.slice(0, 297)}...` : folded;
}

