import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  DEFAULT_SLOW_FIRST_TOKEN_MS,
  DEFAULT_STALL_MS,
  type ProfileFault,
} from '../../src-shared/simulator';
import { composeReply, type Reply } from './compose-reply';
import { type DrawnFault, faultApplies } from './fault-board';
import { retryAfterHeaders, sendError, sendJsonText, usageJson } from './http-replies';
import { hashString, mix, Random } from './random';
import { readPrompt } from './read-prompt';
import type { RequestLogEntry } from './request-log';
import { type Arrival, heldSince, nextCounter, schedule, type SimulatorState } from './simulator-state';
import { type ReplyTiming, sendStream } from './send-stream';

/** Faults that change how a successful reply is delivered rather than replacing it. */
const DELIVERY_FAULTS = new Set([
  'slow-first-token',
  'stall',
  'cut',
  'malformed-sse',
  'missing-done',
  'missing-finish-reason',
]);

interface Body {
  model?: unknown;
  stream?: unknown;
  messages?: unknown;
  max_tokens?: unknown;
  max_completion_tokens?: unknown;
  stream_options?: { include_usage?: unknown } | null;
}

export type Finalize = (status: number, patch?: Partial<RequestLogEntry>) => void;

function sendFault(
  request: IncomingMessage,
  response: ServerResponse,
  fault: ProfileFault,
  finalize: Finalize,
  modelId: string,
  promptTokens: number,
): void {
  const now = Date.now();
  switch (fault.kind) {
    case '429':
      finalize(429);
      sendError(
        response,
        429,
        {
          message: 'Rate limit reached for requests',
          type: 'rate_limit_error',
          code: 'rate_limit_exceeded',
        },
        retryAfterHeaders(fault.retryAfter, now),
      );
      return;
    case '500':
      finalize(500);
      sendError(response, 500, {
        message: 'The server had an error while processing your request.',
        type: 'server_error',
      });
      return;
    case '502':
      finalize(502);
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end(
        '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>\n',
      );
      return;
    case '503':
      finalize(503);
      sendError(response, 503, {
        message: 'The service is temporarily unavailable.',
        type: 'service_unavailable',
      });
      return;
    case '529':
      finalize(529);
      sendError(response, 529, {
        message: 'The model is overloaded. Please try again later.',
        type: 'overloaded_error',
      });
      return;
    case '404':
      finalize(404);
      sendError(response, 404, {
        message: `The model \`${modelId}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: 'model',
        code: 'model_not_found',
      });
      return;
    case '401':
      finalize(401);
      sendError(response, 401, {
        message: 'Invalid API key provided.',
        type: 'invalid_request_error',
        code: 'invalid_api_key',
      });
      return;
    case 'context-length':
      finalize(400);
      sendError(response, 400, {
        message: `This model's maximum context length is ${Math.max(1, promptTokens - 1)} tokens. However, your messages resulted in ${promptTokens} tokens.`,
        type: 'invalid_request_error',
        param: 'messages',
        code: 'context_length_exceeded',
      });
      return;
    case 'content-policy':
      finalize(400);
      sendError(response, 400, {
        message: 'Your request was rejected as a result of our safety system.',
        type: 'invalid_request_error',
        param: 'messages',
        code: 'content_policy_violation',
      });
      return;
    case 'reset':
      finalize(0);
      request.socket.resetAndDestroy();
      return;
    case 'hang':
      // Accepted and never answered: the client's deadline is the only way out.
      finalize(0);
      return;
    default:
      throw new Error(`not a replacing fault: ${fault.kind}`);
  }
}

function sendPlain(
  state: SimulatorState,
  response: ServerResponse,
  reply: Reply,
  base: { id: string; created: number; model: string },
  timing: ReplyTiming,
  fault: ProfileFault | null,
  finalize: Finalize,
): void {
  const reasoning =
    reply.reasoning === '' ? '' : `,"reasoning_content":${JSON.stringify(reply.reasoning)}`;
  const finishReason = fault?.kind === 'missing-finish-reason' ? null : reply.finishReason;
  // A template rather than JSON.stringify of an object: this is the hot path of the benchmark.
  const text = `{"id":"${base.id}","object":"chat.completion","created":${base.created},"model":${JSON.stringify(base.model)},"choices":[{"index":0,"message":{"role":"assistant","content":${JSON.stringify(reply.content)}${reasoning}},"logprobs":null,"finish_reason":${finishReason === null ? 'null' : `"${finishReason}"`}}],"usage":${usageJson(reply.usage)}}`;
  const deliver = (): void => {
    if (response.destroyed) return;
    if (fault?.kind === 'cut' || fault?.kind === 'stall') {
      const half = Buffer.from(text).subarray(0, Math.floor(Buffer.byteLength(text) / 2));
      response.writeHead(200, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      if (fault.kind === 'cut') {
        finalize(200, { usage: null, finishReason: null });
        response.write(half, () => response.destroy());
        return;
      }
      response.write(half);
      schedule(
        state,
        () => {
          if (response.destroyed) return;
          finalize(200, { usage: reply.usage, finishReason });
          response.end(Buffer.from(text).subarray(half.length));
        },
        fault.delayMs ?? DEFAULT_STALL_MS,
      );
      return;
    }
    finalize(200, { usage: reply.usage, finishReason });
    sendJsonText(response, 200, text);
  };
  // Counted from the request's arrival: the time spent reading and composing is part of it.
  const wait =
    timing.firstTokenMs +
    (reply.usage.completion_tokens / timing.tokensPerSecond) * 1000 * timing.scale -
    timing.heldMs;
  if (wait <= 0) deliver();
  else schedule(state, deliver, wait);
}

/** Handles one `POST .../chat/completions` whose body has been read. */
export function serveCompletion(
  state: SimulatorState,
  request: IncomingMessage,
  response: ServerResponse,
  routeProvider: string | null,
  bodyText: string,
  arrived: Arrival,
): void {
  let body: Body | null = null;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed))
      body = parsed as Body;
  } catch {
    body = null;
  }
  const modelId = body && typeof body.model === 'string' ? body.model : '';
  const compiled = state.models.get(modelId);
  const entry: RequestLogEntry = {
    seq: ++state.seq,
    at: arrived.at,
    provider: routeProvider ?? compiled?.provider ?? null,
    model: modelId,
    stream: body?.stream === true,
    status: 0,
    outcome: 'ok',
    faultId: null,
    usage: null,
    finishReason: null,
    aborted: false,
    durationMs: 0,
  };
  let logged = false;
  const finalize: Finalize = (status, patch) => {
    if (logged) return;
    logged = true;
    entry.status = status;
    if (patch) Object.assign(entry, patch);
    entry.durationMs = Date.now() - arrived.at;
    state.log.push(entry);
  };
  // Only replies that finish later (latency, stream, hang) can lose their client first.
  const watchAbort = (): void => {
    response.once('close', () => {
      if (logged) return;
      entry.aborted = true;
      finalize(response.headersSent ? response.statusCode : 0);
    });
  };

  if (body === null || modelId === '' || !Array.isArray(body.messages)) {
    entry.outcome = 'bad-request';
    finalize(400);
    const param = body === null ? null : modelId === '' ? 'model' : 'messages';
    sendError(response, 400, {
      message:
        body === null
          ? 'The request body is not a JSON object.'
          : `Missing or invalid \`${param}\`.`,
      type: 'invalid_request_error',
      param,
    });
    return;
  }

  const stream = entry.stream;
  const prompt = readPrompt(body.messages);
  const key = hashString(modelId, mix(state.seed, prompt.contentHash));
  const counter = nextCounter(state, key);
  const faultRandom = new Random(mix(mix(key, counter), 0x0fa17));
  const replyRandom = new Random(mix(key, counter));
  const now = Date.now();
  const promptTokens = Math.max(1, Math.ceil(prompt.promptChars / 4));

  let drawn: DrawnFault | null =
    state.board.size > 0
      ? state.board.draw(entry.provider, modelId, stream, now, faultRandom)
      : null;
  const served =
    compiled !== undefined &&
    !compiled.profile.gone &&
    (routeProvider === null || routeProvider === compiled.provider);
  if (drawn === null && served) {
    for (const fault of compiled.faults) {
      if (faultApplies(fault, stream, now, faultRandom)) {
        drawn = { id: 'profile', fault: fault.fault };
        break;
      }
    }
  }
  if (drawn !== null) {
    entry.faultId = drawn.id;
    entry.outcome = drawn.fault.kind;
    if (!DELIVERY_FAULTS.has(drawn.fault.kind)) {
      sendFault(request, response, drawn.fault, finalize, modelId, promptTokens);
      return;
    }
  }
  if (!served) {
    entry.outcome = '404';
    sendFault(request, response, { kind: '404', rate: 1 }, finalize, modelId, promptTokens);
    return;
  }
  if (promptTokens > compiled.profile.contextWindow) {
    entry.outcome = 'context-length';
    finalize(400);
    sendError(response, 400, {
      message: `This model's maximum context length is ${compiled.profile.contextWindow} tokens. However, your messages resulted in ${promptTokens} tokens.`,
      type: 'invalid_request_error',
      param: 'messages',
      code: 'context_length_exceeded',
    });
    return;
  }

  const maxTokensRaw = body.max_completion_tokens ?? body.max_tokens;
  const maxTokens =
    typeof maxTokensRaw === 'number' && maxTokensRaw > 0 ? Math.floor(maxTokensRaw) : undefined;
  const personality = compiled.personalities[prompt.variantMask] ?? compiled.personalities[0]!;
  const reply = composeReply(
    personality,
    prompt.matches,
    prompt.promptChars,
    maxTokens,
    replyRandom,
  );
  const latency = compiled.profile.latency;
  const fault = drawn?.fault ?? null;
  const timing: ReplyTiming = {
    scale: state.latencyScale,
    firstTokenMs:
      (state.latencyScale === 0
        ? 0
        : replyRandom.around(latency.ttftMs, latency.ttftSpreadMs) * state.latencyScale) +
      (fault?.kind === 'slow-first-token' ? (fault.delayMs ?? DEFAULT_SLOW_FIRST_TOKEN_MS) : 0),
    tokensPerSecond:
      state.latencyScale === 0
        ? Number.POSITIVE_INFINITY
        : replyRandom.around(latency.tokensPerSecond, latency.tokensPerSecondSpread, 1),
    heldMs: heldSince(arrived),
  };
  const base = {
    id: `chatcmpl-sim${key.toString(16)}x${counter}`,
    created: Math.floor(arrived.at / 1000),
    model: modelId,
  };
  if (stream) {
    const includeUsage = body.stream_options?.include_usage === true;
    watchAbort();
    sendStream(state, response, reply, base, timing, fault, includeUsage, finalize);
    return;
  }
  if (state.latencyScale > 0 || fault !== null) watchAbort();
  sendPlain(state, response, reply, base, timing, fault, finalize);
}
