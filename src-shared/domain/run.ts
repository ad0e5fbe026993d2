import { z } from 'zod';
import { ERROR_CLASSES } from '../errors';

export const RUN_KINDS = ['canary', 'regression', 'compare', 'soak', 'check', 'probe'] as const;
export const RunKindSchema = z.enum(RUN_KINDS);
/** The kinds an interrupted or cancelled run of can be resumed (the rest are started anew). */
export const RESUMABLE_KINDS: ReadonlySet<string> = new Set(['canary', 'probe']);
export type RunKind = z.infer<typeof RunKindSchema>;

export const RUN_STATUSES = ['running', 'completed', 'cancelled', 'interrupted', 'failed'] as const;
export const RunStatusSchema = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** One unit of planned work: a model (at a pinned config version) answering one fixture. */
export const RunItemSchema = z.object({
  key: z.string(),
  modelId: z.string(),
  fixtureId: z.string(),
  configVersion: z.int().positive(),
  /** Compare runs may override the variant for a column. */
  promptVariant: z.string().optional(),
  column: z.int().min(0).optional(),
});
export type RunItem = z.infer<typeof RunItemSchema>;

export const RunSchema = z.object({
  id: z.string(),
  kind: RunKindSchema,
  task: z.string(),
  status: RunStatusSchema,
  items: z.array(RunItemSchema),
  /** model id -> config version pinned when the run started. */
  pinnedVersions: z.record(z.string(), z.int().positive()),
  budgetMicros: z.int().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
});
export type Run = z.infer<typeof RunSchema>;

export const CallStatusSchema = z.enum(['success', 'failure']);

/** One attempt, as persisted. Unknown token counts and costs are null, never 0. */
export const CallRecordSchema = z.object({
  id: z.int().optional(),
  runId: z.string(),
  itemKey: z.string(),
  fixtureId: z.string(),
  intendedModel: z.string(),
  actualModel: z.string(),
  fallbackDepth: z.int().min(0),
  fallbackReason: z.string().nullable(),
  /** 1-based; 0 = refused before sending (disabled, circuit open, budget, price ceiling). */
  attempt: z.int().min(0),
  configVersion: z.int().positive(),
  promptVariant: z.string(),
  timeoutMs: z.int().positive(),
  startedAt: z.string(),
  /** Time to the first token, for streamed calls; null for a reply that arrived whole. */
  ttftMs: z.number().nullable(),
  latencyMs: z.number(),
  status: CallStatusSchema,
  /** True for the attempt that decided the item (its last one). */
  final: z.boolean(),
  errorClass: z.enum(ERROR_CLASSES).nullable(),
  errorMessage: z.string().nullable(),
  httpStatus: z.int().nullable(),
  promptTokens: z.int().nullable(),
  completionTokens: z.int().nullable(),
  reasoningTokens: z.int().nullable(),
  costMicros: z.int().nullable(),
  /**
   * Set only when the cost is unknown but the provider billed the attempt (it answered 200 and
   * reported no usage): the worst case the budget counted as spent for it. An estimate, never a cost.
   */
  estimatedCostMicros: z.int().min(0).nullable().default(null),
  replyLength: z.int().min(0),
  replyExcerpt: z.string(),
  reasoningExcerpt: z.string().nullable(),
  parsedValue: z.unknown().nullable(),
  coercions: z.array(z.string()),
  /** What each parse step did (empty when nothing was parsed: refused or failed before a reply). */
  parseSteps: z
    .array(
      z.object({
        step: z.string(),
        outcome: z.enum(['applied', 'unchanged', 'failed']),
        detail: z.string(),
      }),
    )
    .default([]),
});
export type CallRecord = z.infer<typeof CallRecordSchema>;

/** The prompt versions a run composes with: each task component by key, each variant by name. */
export const PromptVersionsSchema = z.object({
  components: z.record(z.string(), z.int().min(1)),
  variants: z.record(z.string(), z.int().min(1)),
});
export type PromptVersions = z.infer<typeof PromptVersionsSchema>;
