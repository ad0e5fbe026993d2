import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A tiny OpenAI-compatible server on 127.0.0.1 that answers each model with a fixed reply text:
 * for replies the simulator's personalities do not produce (an empty answer, a wrong schema).
 */
export async function startScriptedProvider(
  replies: Record<string, string>,
): Promise<{ baseUrl: string; requests: () => number; bodies: () => unknown[]; close: () => Promise<void> }> {
  let requests = 0;
  const bodies: unknown[] = [];
  const server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => {
      body += chunk;
    });
    request.on('end', () => {
      requests++;
      bodies.push(JSON.parse(body));
      const model = (JSON.parse(body) as { model: string }).model;
      const content = replies[model];
      if (content === undefined) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { message: `model ${model} not found` } }));
        return;
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 100, completion_tokens: Math.ceil(content.length / 4) },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests: () => requests,
    /** Every request body received, parsed, in arrival order. */
    bodies: () => [...bodies],
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
