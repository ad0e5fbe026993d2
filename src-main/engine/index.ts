export { type Admission, BudgetLedger, type LedgerStore, type Reservation } from './budget';
export { abortableSleep } from './abortable-sleep';
export {
  DEFAULT_ENGINE_OPTIONS,
  Engine,
  type EngineDeps,
  type EngineOptions,
  type EngineStore,
} from './engine';
export { type ChatOutcome, parseRetryAfter, sendChat } from './http';
export { makeRedactor } from './redact';
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry';
export type { EngineEvent, ItemResult, RunContext, WorkItem } from './types';
