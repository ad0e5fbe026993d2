import type { FaultTarget } from '../../src-shared/simulator';
import type { FaultBoard } from './fault-board';
import type { CompiledModel } from './load-profiles';
import type { RequestLog } from './request-log';

/** Everything one running simulator holds; handlers read it, nothing else shares it. */
export interface SimulatorState {
  seed: number;
  /** `Bearer <key>` when a key is required, else null. */
  expectedAuthorization: string | null;
  models: Map<string, CompiledModel>;
  providers: Set<string>;
  /** Precomputed `GET /v1/models` bodies, keyed by provider ('' for all). */
  modelLists: Map<string, string>;
  board: FaultBoard;
  log: RequestLog;
  /** Requests seen per (model, content) key: the per-key counter of the seeded draws. */
  counters: Map<number, number>;
  latencyScale: number;
  timers: Set<NodeJS.Timeout>;
  seq: number;
  startedAt: number;
}

/**
 * Why a fault's target names nothing this simulator serves (a typo would make a drill silently do
 * nothing), or undefined when some request can match it.
 */
export function unservedTarget(state: SimulatorState, target: FaultTarget): { field: string; message: string } | undefined {
  if (target.provider !== undefined && !state.providers.has(target.provider)) {
    return { field: 'target.provider', message: `no simulated provider "${target.provider}" (served: ${[...state.providers].sort().join(', ')})` };
  }
  if (target.model !== undefined) {
    const model = state.models.get(target.model);
    if (!model) return { field: 'target.model', message: `no simulated model "${target.model}" (ids as served, e.g. ${[...state.models.keys()].slice(0, 3).join(', ')})` };
    if (target.provider !== undefined && model.provider !== target.provider) {
      return { field: 'target.model', message: `"${target.model}" is served by ${model.provider}, not ${target.provider}` };
    }
  }
  return undefined;
}

/** When a request arrived: wall clock for the log, monotonic clock for its simulated latency. */
export interface Arrival {
  /** Date.now() when the request's headers arrived. */
  at: number;
  /** performance.now() at the same moment. */
  mono: number;
}

/**
 * How long the simulator has already held a request (reading its body, composing the reply):
 * simulated latency counts from arrival, as a provider's does, so this part of it is already spent.
 */
export function heldSince(arrival: Arrival): number {
  return performance.now() - arrival.mono;
}

/** Runs `callback` after `ms`, tracked so closing the simulator cancels it. */
export function schedule(state: SimulatorState, callback: () => void, ms: number): void {
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    callback();
  }, ms);
  state.timers.add(timer);
}

const MAX_COUNTER_KEYS = 500_000;

export function nextCounter(state: SimulatorState, key: number): number {
  const counter = state.counters.get(key) ?? 0;
  // Bounded memory for long soaks: forgetting keys only restarts their counters.
  if (counter === 0 && state.counters.size >= MAX_COUNTER_KEYS) state.counters.clear();
  state.counters.set(key, counter + 1);
  return counter;
}
