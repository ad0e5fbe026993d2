import type { ServerResponse } from 'node:http';
import type { RetryAfter } from '../../src-shared/simulator';
import type { Reply } from './compose-reply';

/** The OpenAI `usage` object as JSON text (reasoning tokens under completion_tokens_details). */
export function usageJson(usage: Reply['usage']): string {
  const total = usage.prompt_tokens + usage.completion_tokens;
  const details =
    usage.reasoning_tokens === undefined
      ? ''
      : `,"completion_tokens_details":{"reasoning_tokens":${usage.reasoning_tokens}}`;
  return `{"prompt_tokens":${usage.prompt_tokens},"completion_tokens":${usage.completion_tokens},"total_tokens":${total}${details}}`;
}

/** Sends a JSON text with a raw header list (the cheapest form for node:http). */
export function sendJsonText(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, [
    'content-type',
    'application/json',
    'content-length',
    String(Buffer.byteLength(text)),
  ]);
  response.end(text);
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

/** An OpenAI-style error body: `{"error":{"message","type","param","code"}}`. */
export function sendError(
  response: ServerResponse,
  status: number,
  error: { message: string; type: string; code?: string | null; param?: string | null },
  headers: Record<string, string> = {},
): void {
  sendJson(
    response,
    status,
    {
      error: {
        message: error.message,
        type: error.type,
        param: error.param ?? null,
        code: error.code ?? null,
      },
    },
    headers,
  );
}

export function retryAfterHeaders(
  retryAfter: RetryAfter | undefined,
  now: number,
): Record<string, string> {
  const wait = retryAfter ?? { form: 'seconds', ms: 1_000 };
  switch (wait.form) {
    case 'seconds':
      return { 'retry-after': String(Math.ceil(wait.ms / 1000)) };
    case 'date':
      return { 'retry-after': new Date(now + wait.ms).toUTCString() };
    case 'ms':
      return { 'retry-after-ms': String(wait.ms) };
  }
}
