import { createParser } from 'eventsource-parser';
import { type Dispatcher, request } from 'undici';
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

/**
 * One HTTP attempt against an OpenAI-compatible endpoint. Never retries (the engine is the one
 * retry owner) and never throws: every failure is a classified outcome, with the partial text and
 * usage of a stream kept. A stream is a success only if a `finish_reason` arrived.
 */
export async function sendChat(options: SendOptions): Promise<ChatOutcome> {
  const started = performance.now();
  const controller = new AbortController();
  let expired: DeadlineKind | undefined;
  const expire = (kind: DeadlineKind) => () => {
    expired = kind;
    controller.abort();
  };
  const totalTimer = setTimeout(expire('total'), options.deadlines.totalMs);
  let firstTokenTimer: NodeJS.Timeout | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  const onOuterAbort = (): void => controller.abort();
  options.signal?.addEventListener('abort', onOuterAbort, { once: true });

  const state = {
    content: '',
    reasoning: '',
    finishReason: undefined as string | undefined,
    usage: NO_USAGE,
    ttftMs: undefined as number | undefined,
    httpStatus: undefined as number | undefined,
    malformedEvents: 0,
    done: false,
  };
  const finish = (error: CallError | undefined, retryAfterMs?: number): ChatOutcome => ({
    ok: error === undefined,
    content: state.content,
    reasoning: state.reasoning === '' ? undefined : state.reasoning,
    finishReason: state.finishReason,
    usage: state.usage,
    httpStatus: state.httpStatus,
    ttftMs: state.ttftMs,
    latencyMs: performance.now() - started,
    error,
    retryAfterMs,
    malformedEvents: state.malformedEvents,
  });

  try {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: options.body.stream ? 'text/event-stream' : 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (options.body.stream) {
      firstTokenTimer = setTimeout(expire('first-token'), options.deadlines.firstTokenMs);
    }
    const response = await request(`${options.baseUrl}/chat/completions`, {
      method: 'POST',
      headers,
      body: JSON.stringify(options.body),
      dispatcher: options.dispatcher,
      signal: controller.signal,
      headersTimeout: options.deadlines.totalMs + 1000,
      bodyTimeout: 0,
    });
    state.httpStatus = response.statusCode;
    if (response.statusCode >= 400) {
      const text = await response.body.text().catch(() => '');
      const errorClass = classifyStatus(response.statusCode);
      return finish(
        { class: errorClass, message: `HTTP ${response.statusCode}: ${summariseErrorBody(text)}`, httpStatus: response.statusCode },
        parseRetryAfter(response.headers),
      );
    }
    if (!options.body.stream) {
      const text = await response.body.text();
      return readCompletion(text, state, finish);
    }
    return await readStream(response.body, state, finish, () => {
      if (state.ttftMs === undefined) {
        state.ttftMs = performance.now() - started;
        clearTimeout(firstTokenTimer);
        options.onFirstToken?.();
      }
    }, () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(expire('idle'), options.deadlines.idleMs);
    });
  } catch (error) {
    // A server that sent finish_reason and [DONE] but keeps the connection open has answered.
    if (expired === 'idle' && state.done && state.finishReason !== undefined) return finish(undefined);
    if (expired !== undefined) return finish(deadlineError(expired, options.deadlines));
    if (options.signal?.aborted) return finish({ class: 'cancelled', message: 'the run was cancelled' });
    if (state.httpStatus !== undefined && state.httpStatus < 400) {
      // The body broke after a 200: what arrived is kept; the reply is not a success.
      return finish({ class: 'stream_truncated', message: `reply broke after ${state.content.length} characters: ${(error as Error).message}` });
    }
    if (isNetworkError(error)) {
      return finish({ class: 'network', message: `${(error as { code?: string }).code ?? 'network error'}: ${(error as Error).message}` });
    }
    return finish({ class: 'network', message: (error as Error).message ?? String(error) });
  } finally {
    clearTimeout(totalTimer);
    clearTimeout(firstTokenTimer);
    clearTimeout(idleTimer);
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
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

function readCompletion(text: string, state: StreamState, finish: (error: CallError | undefined) => ChatOutcome): ChatOutcome {
  let json: {
    choices?: { message?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown }; finish_reason?: unknown }[];
    usage?: unknown;
  };
  try {
    json = JSON.parse(text);
  } catch {
    return finish({ class: 'server_error', message: `the provider answered 200 with a body that is not JSON: ${summariseErrorBody(text)}` });
  }
  const choice = json.choices?.[0];
  const message = choice?.message;
  state.content = typeof message?.content === 'string' ? message.content : '';
  const reasoning = message?.reasoning_content ?? message?.reasoning;
  state.reasoning = typeof reasoning === 'string' ? reasoning : '';
  state.finishReason = typeof choice?.finish_reason === 'string' ? choice.finish_reason : undefined;
  state.usage = readUsage(json.usage) ?? NO_USAGE;
  return finish(undefined);
}

async function readStream(
  body: AsyncIterable<Buffer> & { setEncoding?(encoding: string): unknown },
  state: StreamState,
  finish: (error: CallError | undefined) => ChatOutcome,
  onToken: () => void,
  onChunk: () => void,
): Promise<ChatOutcome> {
  const parser = createParser({
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
  const decoder = new TextDecoder();
  onChunk();
  for await (const chunk of body) {
    onChunk();
    parser.feed(decoder.decode(chunk, { stream: true }));
  }
  parser.feed(decoder.decode());
  if (state.finishReason === undefined) {
    return finish({
      class: 'stream_truncated',
      message: `stream ended without a finish_reason after ${state.content.length} characters${state.done ? ' ([DONE] arrived)' : ''}`,
    });
  }
  return finish(undefined);
}

/** First 300 characters of an error body, whitespace folded. */
function summariseErrorBody(text: string): string {
  const folded = text.replace(/\s+/g, ' ').trim();
  if (folded === '') return '(empty body)';
  return folded.length > 300 ? `${folded.slice(0, 297)}...` : folded;
}

