import type { CallRecord, Provider } from '../../src-shared/domain';
import type { ErrorClass } from '../../src-shared/errors';
import type { PromptVariant } from '../../src-shared/prompts';
import type { Fixture, TaskPack } from '../../src-shared/tasks';
import type { StoredModel } from '../store';

/** What one run gives the engine: everything pinned at the moment the run started. */
export interface RunContext {
  runId: string;
  task: TaskPack;
  /** Models at the config versions the run pinned (fallbacks included). */
  models: ReadonlyMap<string, StoredModel>;
  providers: ReadonlyMap<string, Provider>;
  variant(name: string): PromptVariant | undefined;
  componentVersions?: Readonly<Record<string, number>> | undefined;
  costCeiling: number;
  signal: AbortSignal;
  onEvent?: ((event: EngineEvent) => void) | undefined;
}

export interface WorkItem {
  key: string;
  modelId: string;
  fixtures: readonly Fixture[];
  /** An explicit test of this model: it is called even when disabled (recovery, canary). */
  explicit: boolean;
  /** Compare columns: a prompt variant instead of the model's configured one. */
  promptVariant?: string | undefined;
  /**
   * Compare columns: the intended model at this config version instead of `context.models`'s
   * (one run may hold the same model at two versions). Its fallbacks still come from the context.
   */
  model?: StoredModel | undefined;
  /**
   * Compare columns: the column this cell belongs to. A cell must be the column's own reply, so
   * it is never refused by the (provider, model) circuit breaker that other work shares.
   */
  column?: number | undefined;
}

export interface ItemResult {
  key: string;
  intendedModel: string;
  actualModel: string;
  success: boolean;
  depth: number;
  value: unknown;
  errorClass: ErrorClass | null;
  errorMessage: string | null;
  /** Everything the item's attempts cost, fallbacks included; undefined if any cost is unknown. */
  costMicros: number | undefined;
  /** True when some attempt had no known cost (unpriced model or no usage reported). */
  costUnknown: boolean;
  latencyMs: number;
  attempts: number;
  records: CallRecord[];
}

export type EngineEvent =
  | { type: 'attempt'; runId: string; record: CallRecord }
  | { type: 'waiting'; runId: string; modelId: string; reason: string; ms: number }
  | { type: 'disabled'; runId: string; modelId: string; reason: string }
  | { type: 'first-token'; runId: string; itemKey: string; modelId: string };
