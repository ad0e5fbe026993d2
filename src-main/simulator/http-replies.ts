import type { ServerResponse } from 'node:http';
import type { RetryAfter } from '../../src-shared/simulator';

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
