import { z } from 'zod';
import { ModelConfigSchema } from '../domain/model-config';
import { CallRecordSchema, RunStatusSchema } from '../domain/run';
import { MODEL_STATUSES } from '../domain/status';

/**
 * What the console reads. Money crosses the bridge as USD numbers (already converted from
 * micro-dollars in main, rounded to the micro-dollar); unknown figures are null, never 0.
 */
export const CoverageView = z.object({
  working: z.int(),
  active: z.int(),
  unfixable: z.int(),
  eligible: z.int(),
  percent: z.number().nullable(),
  total: z.int(),
  /** "37 of 39 active models working, 94.9%" */
  label: z.string(),
});

export const ModelRowView = z.object({
  id: z.string(),
  provider: z.string(),
  providerModelId: z.string(),
  family: z.string().nullable(),
  parameterSizeB: z.number().nullable(),
  premium: z.boolean(),
  active: z.boolean(),
  simulated: z.boolean(),
  status: z.enum(MODEL_STATUSES),
  /** Why (the chip's tooltip): disabled reason, operator verdict, failing error class, ... */
  reason: z.string().nullable(),
  configVersion: z.int(),
  promptVariant: z.string(),
  timeoutMs: z.int(),
  fallback: z.string().nullable(),
  unpriced: z.boolean(),
  /** Figures over the model's recent calls on its current config version. */
  successRate: z.number().nullable(),
  p50LatencyMs: z.number().nullable(),
  costPerSuccessUsd: z.number().nullable(),
  calls: z.int(),
  lastValidated: z.string().nullable(),
});
export type ModelRowView = z.infer<typeof ModelRowView>;

export const FleetStatusView = z.object({
  task: z.string(),
  simulated: z.boolean(),
  coverage: CoverageView,
  models: z.array(ModelRowView),
  generatedAt: z.string(),
});
export type FleetStatusView = z.infer<typeof FleetStatusView>;

/** A call record as the console reads it: the stored attempt, with its cost in USD. */
export const CallSummaryView = CallRecordSchema.omit({
  id: true,
  itemKey: true,
  timeoutMs: true,
  final: true,
  costMicros: true,
}).extend({
  id: z.int(),
  costUsd: z.number().nullable(),
});
export type CallSummaryView = z.infer<typeof CallSummaryView>;

/**
 * What a recorded call sent: its prompt composed again from what its run pinned (the model's
 * config at the call's version, the run's component and variant versions, the call's fixtures),
 * and the request body the engine builds from it. The API key travels in a header, never here.
 */
export const CallRequestView = z.object({
  callId: z.int(),
  runId: z.string(),
  /** The model that was called (a fallback's own prompt when the call was a fallback's). */
  modelId: z.string(),
  configVersion: z.int(),
  fixtureIds: z.array(z.string()),
  variant: z.object({ name: z.string(), version: z.int() }).nullable(),
  system: z.string(),
  user: z.string(),
  sections: z.array(
    z.object({ kind: z.string(), name: z.string(), version: z.int().nullable(), text: z.string() }),
  ),
  /** False for the engine's refusal before sending (attempt 0): the prompt is what it would have sent. */
  sent: z.boolean(),
  /** The chat request body, as sent; null when not sent or the model's provider no longer exists. */
  body: z.record(z.string(), z.unknown()).nullable(),
  /** `pinned`: composed from the versions the run recorded; `latest`: the run recorded none. */
  basis: z.enum(['pinned', 'latest']),
  /** What may differ from what was sent, in the operator's words. */
  notes: z.array(z.string()),
});
export type CallRequestView = z.infer<typeof CallRequestView>;

export const ConfigVersionView = z.object({
  version: z.int(),
  note: z.string(),
  createdAt: z.string(),
  config: ModelConfigSchema,
  /** Stored to try a draft beside the current config: never the model's config. */
  trial: z.boolean(),
});

export const FixAttemptView = z.object({
  version: z.int(),
  note: z.string(),
  successRate: z.number().nullable(),
  calls: z.int(),
  at: z.string(),
});

export const TimeoutTierView = z.object({
  tierMs: z.int(),
  calls: z.int(),
  successRate: z.number().nullable(),
  costPerSuccessUsd: z.number().nullable(),
});

export const ModelDetailView = z.object({
  row: ModelRowView,
  config: ModelConfigSchema,
  pricing: z.object({ promptPer1M: z.number(), completionPer1M: z.number() }).nullable(),
  versions: z.array(ConfigVersionView),
  health: z.object({
    disabled: z.boolean(),
    reason: z.string().nullable(),
    consecutiveFailures: z.int(),
  }),
  verdict: z.object({
    status: z.enum(['active', 'inactive', 'unfixable']),
    reason: z.string().nullable(),
    retestAt: z.string().nullable(),
  }),
  /** Fleetdeck's suggestion to call the model unfixable, with its evidence; null if none. */
  unfixableSuggestion: z.object({ reasons: z.array(z.string()) }).nullable(),
  recentCalls: z.array(CallSummaryView),
  errorBreakdown: z.record(z.string(), z.int()),
  /** The other versions holding the current config (a rollback's original): the row's figures count them too. */
  sameConfigVersions: z.array(z.int()),
  fixAttempts: z.array(FixAttemptView),
  timeoutTiers: z.array(TimeoutTierView),
  /** Models this one may fall back to (exists, no cycle, within the cost ceiling), for the picker. */
  fallbackOptions: z.array(
    z.object({ id: z.string(), allowed: z.boolean(), why: z.string().nullable() }),
  ),
});
export type ModelDetailView = z.infer<typeof ModelDetailView>;

export const RunView = z.object({
  id: z.string(),
  kind: z.string(),
  task: z.string(),
  status: RunStatusSchema,
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  total: z.int(),
  done: z.int(),
  succeeded: z.int(),
  /** Of `succeeded`, the items a fallback model answered (the intended one did not). */
  viaFallback: z.int(),
  /** Finished items that failed (cancelled ones are counted apart). */
  failed: z.int(),
  /** Items a cancel stopped (an interrupted run's unfinished items are still to do: not counted). */
  cancelled: z.int(),
  costUsd: z.number(),
  models: z.array(z.string()),
  pinnedVersions: z.record(z.string(), z.int()),
});
export type RunView = z.infer<typeof RunView>;

export const RegressionPlanView = z.object({
  /** What changed, e.g. "variant JSON_STRICT v2" or "model m-a config v4". */
  change: z.string(),
  blastRadius: z.enum(['fleet', 'variant', 'model']),
  /** Models whose prompt or config the change alters. */
  affected: z.array(z.string()),
  /** Models the gate will run (affected plus seeded working sample for one-model changes). */
  tested: z.array(z.string()),
  seed: z.int(),
  fixtures: z.int(),
  /** Prompt problems (missing required sections) that block saving; empty when fine. */
  problems: z.array(z.string()),
});
export type RegressionPlanView = z.infer<typeof RegressionPlanView>;

export const RegressionReportView = z.object({
  runId: z.string(),
  change: z.string(),
  /** `incomplete`: no regression, but a model the gate was to test was never sent a fixture. */
  status: z.enum(['running', 'passed', 'regressed', 'incomplete', 'cancelled']),
  models: z.array(
    z.object({
      modelId: z.string(),
      baselineSuccessRate: z.number().nullable(),
      successRate: z.number().nullable(),
      verdict: z.enum(['ok', 'regression', 'fixed', 'still_failing', 'new', 'untested']),
      /** Quality warnings of the gate's run for this model (stuck, unrealistic...): never clean. */
      warnings: z.array(z.string()),
      /** Fixtures refused before the model was sent them (no key, an open circuit, the budget). */
      unsent: z.int(),
    }),
  ),
  regressions: z.array(z.string()),
  /** The models the gate's run did not send every fixture to (all of them: the `untested` verdict). */
  untested: z.array(z.string()),
  /** How to undo the change, when a regression was found. */
  rollback: z
    .object({
      kind: z.enum(['variant', 'component', 'model']),
      name: z.string(),
      toVersion: z.int(),
    })
    .nullable(),
});
export type RegressionReportView = z.infer<typeof RegressionReportView>;

export const CompareCellView = z.object({
  ok: z.boolean(),
  value: z.unknown(),
  replyExcerpt: z.string(),
  coercions: z.array(z.string()),
  errorClass: z.string().nullable(),
  errorMessage: z.string().nullable(),
  latencyMs: z.number().nullable(),
  promptTokens: z.int().nullable(),
  completionTokens: z.int().nullable(),
  costUsd: z.number().nullable(),
  callId: z.int().nullable(),
});

export const CompareView = z.object({
  runId: z.string(),
  status: z.string(),
  columns: z.array(
    z.object({
      label: z.string(),
      modelId: z.string(),
      configVersion: z.int(),
      promptVariant: z.string(),
      successRate: z.number().nullable(),
      costPerSuccessUsd: z.number().nullable(),
      warnings: z.array(z.string()),
    }),
  ),
  rows: z.array(
    z.object({
      fixtureId: z.string(),
      label: z.string(),
      differs: z.boolean(),
      cells: z.array(CompareCellView.nullable()),
    }),
  ),
});
export type CompareView = z.infer<typeof CompareView>;

export const BudgetView = z.object({
  timezone: z.literal('UTC'),
  windowDays: z.int(),
  dailyBudgetUsd: z.number(),
  today: z.object({ day: z.string(), spentUsd: z.number(), reservedUsd: z.number() }),
  /** Cumulative spend per day of the window (the chart draws the budget and pace lines). */
  daily: z.array(
    z.object({
      day: z.string(),
      spentUsd: z.number(),
      fallbackUsd: z.number(),
      calls: z.int(),
      failedCalls: z.int(),
    }),
  ),
  byModel: z.array(
    z.object({
      modelId: z.string(),
      spentUsd: z.number(),
      /** Fixtures answered, by the model or by its fallback. */
      successes: z.int(),
      /** Of `successes`, those the model answered itself (the grid's "no success" is none of these). */
      ownSuccesses: z.int(),
      calls: z.int(),
      costPerSuccessUsd: z.number().nullable(),
      p50Tokens: z.number().nullable(),
      p99Tokens: z.number().nullable(),
      unpriced: z.boolean(),
    }),
  ),
  fleetMedianCostPerSuccessUsd: z.number().nullable(),
  fallbackShare: z.number().nullable(),
  timeoutTiers: z.array(
    z.object({
      tierMs: z.int(),
      calls: z.int(),
      successRate: z.number().nullable(),
      costPerSuccessUsd: z.number().nullable(),
    }),
  ),
  ttftByProvider: z.array(
    z.object({
      provider: z.string(),
      p50Ms: z.number().nullable(),
      p95Ms: z.number().nullable(),
      calls: z.int(),
    }),
  ),
  projection: z.object({
    volumePerDay: z.int(),
    p50Usd: z.number().nullable(),
    p99Usd: z.number().nullable(),
    budgetUsd: z.number(),
  }),
});
export type BudgetView = z.infer<typeof BudgetView>;

export const KeyState = z.object({
  /** Where the key comes from; the key itself never crosses the bridge. */
  source: z.enum(['env', 'keychain', 'session', 'none', 'not-needed']),
  /** e.g. "sk-…f00d"; null when there is no key. */
  masked: z.string().nullable(),
});

export const NotificationView = z.object({
  id: z.string(),
  level: z.enum(['info', 'warning', 'error']),
  kind: z.enum(['model-disabled', 'regression', 'run-finished', 'budget-80', 'budget-100']),
  title: z.string(),
  body: z.string(),
  at: z.string(),
});
export type NotificationView = z.infer<typeof NotificationView>;
