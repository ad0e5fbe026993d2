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
