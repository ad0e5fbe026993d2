import type { ServerResponse } from 'node:http';
import { DEFAULT_STALL_MS, type ProfileFault } from '../../src-shared/simulator';
import type { Reply } from './compose-reply';
import type { Finalize } from './serve-completion';
import { usageJson } from './http-replies';
import { type SimulatorState, schedule } from './simulator-state';

export interface ReplyTiming {
  /** Latency multiplier (0: answer at once). */
  scale: number;
  /** Delay before the first token, already scaled, plus any slow-first-token fault. */
  firstTokenMs: number;
  tokensPerSecond: number;
  /** How long the request was already held when its reply began (it counts toward the first token). */
  heldMs: number;
}

interface Frame {
  /** Ms after the response starts. */
  at: number;
  text: string;
}

const PIECE_CHARS = 16;

const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
};

/**
 * Streams one reply as OpenAI-style SSE: a role chunk, reasoning_content and content deltas, a
 * finish chunk, the usage chunk when asked for (`stream_options.include_usage`), then `[DONE]`.
 * Delivery faults (stall, cut, malformed event, missing [DONE] or finish_reason) bend that script.
 */
export function sendStream(
  state: SimulatorState,
  response: ServerResponse,
  reply: Reply,
  base: { id: string; created: number; model: string },
  timing: ReplyTiming,
  fault: ProfileFault | null,
  includeUsage: boolean,
  finalize: Finalize,
): void {
  const head = `data: {"id":"${base.id}","object":"chat.completion.chunk","created":${base.created},"model":${JSON.stringify(base.model)},"choices":[`;
  const tail = includeUsage ? '],"usage":null}\n\n' : ']}\n\n';
  const delta = (fields: string, finishReason: string | null = null): string =>
    `${head}{"index":0,"delta":${fields},"logprobs":null,"finish_reason":${finishReason === null ? 'null' : `"${finishReason}"`}}${tail}`;

  const frames: Frame[] = [
    { at: timing.firstTokenMs, text: delta('{"role":"assistant","content":""}') },
  ];
  const msPerToken = Number.isFinite(timing.tokensPerSecond)
    ? (1000 / timing.tokensPerSecond) * timing.scale
    : 0;
  let at = timing.firstTokenMs;
  const addPieces = (text: string, field: 'content' | 'reasoning_content'): void => {
    for (let offset = 0; offset < text.length; offset += PIECE_CHARS) {
      const piece = text.slice(offset, offset + PIECE_CHARS);
      at += Math.ceil(piece.length / 4) * msPerToken;
      frames.push({ at, text: delta(`{"${field}":${JSON.stringify(piece)}}`) });
    }
  };
  addPieces(reply.reasoning, 'reasoning_content');
  addPieces(reply.content, 'content');
  const middle = Math.max(1, Math.floor(frames.length / 2));

  const kind = fault?.kind;
  const finishReason = kind === 'missing-finish-reason' ? null : reply.finishReason;
  if (finishReason !== null) frames.push({ at, text: delta('{}', finishReason) });
  if (includeUsage) {
    frames.push({ at, text: `${head}],"usage":${usageJson(reply.usage)}}\n\n` });
  }
  if (kind !== 'missing-done') frames.push({ at, text: 'data: [DONE]\n\n' });

  let cut = false;
  if (kind === 'stall') {
    const stallMs = fault?.delayMs ?? DEFAULT_STALL_MS;
    for (let index = middle; index < frames.length; index++) (frames[index] as Frame).at += stallMs;
  } else if (kind === 'cut') {
    frames.length = middle;
    cut = true;
  } else if (kind === 'malformed-sse') {
    const previous = frames[middle - 1] as Frame;
    frames.splice(middle, 0, {
      at: previous.at,
      text: `${head}{"index":0,"delta":{"content":"\n\n`,
    });
  }

  const logged = {
    usage: includeUsage && !cut ? reply.usage : null,
    finishReason: cut ? null : finishReason,
  };
  response.writeHead(200, SSE_HEADERS);
  // Frame times count from the request's arrival, as the first token's delay does.
  const startedAt = performance.now() - timing.heldMs;
  let next = 0;
  const pump = (): void => {
    if (response.destroyed) return;
    const elapsed = performance.now() - startedAt;
    let chunk = '';
    while (next < frames.length && (frames[next] as Frame).at <= elapsed) {
      chunk += (frames[next] as Frame).text;
      next++;
    }
    if (next >= frames.length) {
      finalize(200, logged);
      if (cut) {
        response.write(chunk, () => response.destroy());
        return;
      }
      response.end(chunk);
      return;
    }
    if (chunk !== '') response.write(chunk);
    schedule(state, pump, (frames[next] as Frame).at - elapsed);
  };
  if (frames[0] !== undefined && frames[0].at > 0) response.flushHeaders();
  pump();
}
