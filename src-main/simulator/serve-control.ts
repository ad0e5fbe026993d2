import type { ServerResponse } from 'node:http';
import { formatPath } from '../../src-shared/domain';
import { FaultSpecSchema } from '../../src-shared/simulator';
import { sendError, sendJson } from './http-replies';
import { type SimulatorState, unservedTarget } from './simulator-state';

/**
 * `/_control/...`: inject, list and clear faults, read and reset the request log, health.
 * Not on the hot path, so it may use URLSearchParams and zod.
 */
export function serveControl(
  state: SimulatorState,
  method: string,
  path: string,
  query: string,
  bodyText: string,
  response: ServerResponse,
): void {
  const params = new URLSearchParams(query);
  const now = Date.now();
  if (path === '/_control/faults') {
    if (method === 'GET') {
      sendJson(response, 200, { faults: state.board.list(now) });
      return;
    }
    if (method === 'POST') {
      let raw: unknown;
      try {
        raw = JSON.parse(bodyText);
      } catch {
        sendError(response, 400, {
          message: 'The body is not JSON.',
          type: 'invalid_request_error',
        });
        return;
      }
      const parsed = FaultSpecSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue ? formatPath(issue.path) : '';
        sendError(response, 400, {
          message: `${field === '' ? 'fault' : field}: ${issue?.message ?? 'invalid'}`,
          type: 'invalid_request_error',
          param: field === '' ? null : field,
        });
        return;
      }
      const unserved = unservedTarget(state, parsed.data.target);
      if (unserved) {
        sendError(response, 400, { message: `${unserved.field}: ${unserved.message}`, type: 'invalid_request_error', param: unserved.field });
        return;
      }
      sendJson(response, 201, { id: state.board.inject(parsed.data, now) });
      return;
    }
    if (method === 'DELETE') {
      const filter: { provider?: string; model?: string; id?: string } = {};
      for (const name of ['provider', 'model', 'id'] as const) {
        const value = params.get(name);
        if (value !== null && value !== '') filter[name] = value;
      }
      sendJson(response, 200, { cleared: state.board.clear(filter, now) });
      return;
    }
  } else if (path === '/_control/log') {
    if (method === 'GET') {
      const since = Number(params.get('since') ?? 0);
      const entries = state.log.list();
      sendJson(response, 200, {
        entries: since > 0 ? entries.filter((entry) => entry.seq > since) : entries,
      });
      return;
    }
    if (method === 'DELETE') {
      state.log.reset();
      sendJson(response, 200, { cleared: true });
      return;
    }
  } else if (path === '/_control/health') {
    if (method === 'GET') {
      sendJson(response, 200, {
        ok: true,
        models: state.models.size,
        providers: [...state.providers],
      });
      return;
    }
  } else {
    sendError(response, 404, {
      message: `No control route ${path}.`,
      type: 'invalid_request_error',
    });
    return;
  }
  sendError(response, 405, {
    message: `${method} is not allowed on ${path}.`,
    type: 'invalid_request_error',
  });
}
