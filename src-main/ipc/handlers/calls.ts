import { callRequest } from '../../services/call-request';
import { callSummaryView } from '../../services/lifecycle';
import type { Handler } from '../types';

/** Recent attempts, newest first (of a model, or of everything); of a run, its newest in call order. */
export const listCalls: Handler<'calls.list'> = async (input, { host }) =>
  host.runs
    .records({ modelId: input.modelId, runId: input.runId, limit: input.limit })
    .map(callSummaryView);

/** What one recorded call sent: its prompt composed again from what its run pinned, and the body. */
export const callRequestHandler: Handler<'calls.request'> = async (input, { host }) => callRequest(host, input.callId);
