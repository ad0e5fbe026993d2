import { z } from 'zod';
import { BudgetSchema } from '../domain/fleet-file';
import { ModelConfigSchema, ModelIdSchema, PromptVariantNameSchema } from '../domain/model-config';
import { ProviderSchema } from '../domain/provider';
import { FaultSpecSchema } from '../simulator/fault-spec';
import {
  BudgetView,
  CallRequestView,
  CallSummaryView,
  CompareView,
  FleetStatusView,
  KeyState,
  ModelDetailView,
  NotificationView,
  RegressionPlanView,
  RegressionReportView,
  RunView,
} from './views';

const None = z.object({}).strict();
const Ok = z.object({ ok: z.literal(true) });
const Note = z
  .string()
  .trim()
  .min(1, 'a note is required: say what this fix attempt tries')
  .max(500);
const FileContent = z.string().max(20_000_000);
const RunId = z.string().min(1).max(100);

/** A change to a prompt, as the regression gate and the prompt editor name it. */
export const PromptChangeInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('variant'),
      name: PromptVariantNameSchema,
      text: z.string().max(20_000),
    })
    .strict(),
  z
    .object({
      kind: z.literal('component'),
      key: z.string().regex(/^[a-z][a-z0-9-]{0,47}$/),
      text: z.string().max(20_000),
    })
    .strict(),
]);
export type PromptChangeInput = z.infer<typeof PromptChangeInput>;

const channel = <I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  description: string,
) => ({ input, output, description });

/**
 * Every request the console can make, defined once. Main parses every input with `input` before
 * its handler runs; the Electron preload exposes one function per entry and the serve transport
 * one POST route per entry; the renderer's client is derived from this map.
 */
export const contract = {
  'fleet.status': channel(
    None,
    FleetStatusView,
    'every model with its status and the coverage figures',
  ),
  'fleet.export': channel(
    None,
    z.object({ fileName: z.string(), content: z.string() }),
    'the fleet file (v1) of the workspace',
  ),
  'fleet.import': channel(
    z.object({ content: FileContent, dryRun: z.boolean().default(false) }).strict(),
    z.object({
      ok: z.boolean(),
      problems: z.array(z.string()),
      warnings: z.array(z.string()),
      created: z.array(z.string()),
      updated: z.array(z.string()),
      unchanged: z.array(z.string()),
      /** Whether the import changes anything: models, providers, the task or the budget. */
      changed: z.boolean(),
      /** Every change in one line (the CLI's summary); empty when refused. */
      summary: z.string(),
    }),
    'import a fleet file, all or nothing',
  ),

  'model.detail': channel(
    z.object({ modelId: ModelIdSchema }).strict(),
    ModelDetailView,
    'one model: config, versions, health, calls, fix attempts',
  ),
  'model.checkConfig': channel(
    z.object({ modelId: ModelIdSchema, config: ModelConfigSchema }).strict(),
    z.object({
      problems: z.array(z.string()),
      warnings: z.array(z.string()),
      plan: RegressionPlanView,
    }),
    'validate a config (ceilings, fallback cycle and price) and show the regression plan, without saving',
  ),
  'model.saveConfig': channel(
    z.object({ modelId: ModelIdSchema, config: ModelConfigSchema, note: Note }).strict(),
    z.object({
      version: z.int(),
      plan: RegressionPlanView,
      /** What checkConfig warns of for the saved config (a fallback's price, provider limits). */
      warnings: z.array(z.string()),
    }),
    'save a config as a new version (a fix attempt)',
  ),
  'model.tryConfig': channel(
    z
      .object({
        modelId: ModelIdSchema,
        config: ModelConfigSchema,
        fixtures: z.int().min(1).max(50).default(5),
      })
      .strict(),
    z.object({ runId: z.string(), version: z.int(), currentVersion: z.int() }),
    'try a draft config beside the current one without making it current (a side-by-side run)',
  ),
  'model.diff': channel(
    z.object({ modelId: ModelIdSchema, from: z.int().min(1), to: z.int().min(1) }).strict(),
    z.object({
      from: z.int(),
      to: z.int(),
      unified: z.string(),
      changes: z.array(z.object({ field: z.string(), from: z.unknown(), to: z.unknown() })),
    }),
    'diff two config versions',
  ),
  'model.rollback': channel(
    z
      .object({
        modelId: ModelIdSchema,
        toVersion: z.int().min(1),
        note: z.string().max(500).optional(),
      })
      .strict(),
    z.object({ version: z.int() }),
    'write a new version equal to an old one',
  ),
  'model.setVerdict': channel(
    z
      .object({
        modelId: ModelIdSchema,
        verdict: z.enum(['active', 'inactive', 'unfixable']),
        reason: z.string().trim().max(500).optional(),
        retestInDays: z.int().min(1).max(3650).optional(),
      })
      .strict(),
    Ok,
    'mark a model active, inactive or unfixable (with reason)',
  ),
  'model.enable': channel(
    z.object({ modelId: ModelIdSchema }).strict(),
    Ok,
    're-enable an auto-disabled model',
  ),
  'calls.list': channel(
    z
      .object({
        modelId: ModelIdSchema.optional(),
        runId: RunId.optional(),
        limit: z.int().min(1).max(1000).default(50),
      })
      .strict(),
    z.array(CallSummaryView),
    'recent call records',
  ),
  'calls.request': channel(
    z.object({ callId: z.int().min(1) }).strict(),
    CallRequestView,
    'what one recorded call sent: its composed prompt and request body',
  ),

  'runs.list': channel(
    z.object({ limit: z.int().min(1).max(500).default(50) }).strict(),
    z.array(RunView),
    'run history, newest first',
  ),
  'runs.get': channel(z.object({ runId: RunId }).strict(), RunView, 'one run'),
  'runs.startCanary': channel(
    z
      .object({
        models: z.array(ModelIdSchema).max(5000).optional(),
        fixtures: z.int().min(1).max(100).default(5),
        concurrency: z.int().min(1).max(200).default(8),
      })
      .strict(),
    z.object({ runId: z.string() }),
    'one-click canary (all active models when no list is given)',
  ),
  'runs.cancel': channel(z.object({ runId: RunId }).strict(), Ok, 'cancel a running run'),
  'runs.resume': channel(
    z.object({ runId: RunId }).strict(),
    z.object({ runId: z.string() }),
    'resume an interrupted run',
  ),

  'prompts.catalog': channel(
    None,
    z.object({
      task: z.string(),
      components: z.array(
        z.object({
          key: z.string(),
          version: z.int(),
          text: z.string(),
          usedBy: z.array(z.string()),
        }),
      ),
      variants: z.array(
        z.object({
          name: z.string(),
          version: z.int(),
          text: z.string(),
          builtin: z.boolean(),
          usedBy: z.array(z.string()),
        }),
      ),
    }),
    'task components and prompt variants at their latest versions, with the models using each',
  ),
  'prompts.history': channel(
    z.object({ kind: z.enum(['variant', 'component']), name: z.string().min(1).max(64) }).strict(),
    z.array(
      z.object({ version: z.int(), text: z.string(), note: z.string(), createdAt: z.string() }),
    ),
    'every version of a variant or component',
  ),
  'prompts.compose': channel(
    z.object({ modelId: ModelIdSchema, fixtureId: z.string().max(100).optional() }).strict(),
    z.object({
      system: z.string(),
      user: z.string(),
      sections: z.array(
        z.object({
          kind: z.string(),
          name: z.string(),
          version: z.int().nullable(),
          text: z.string(),
        }),
      ),
      problems: z.array(z.string()),
    }),
    'the composed prompt a model gets',
  ),
  'prompts.plan': channel(
    z.object({ change: PromptChangeInput }).strict(),
    RegressionPlanView,
    'the regression plan of a prompt change, before saving',
  ),
  'prompts.save': channel(
    z.object({ change: PromptChangeInput, note: Note }).strict(),
    z.object({ version: z.int(), plan: RegressionPlanView }),
    'save a prompt change as a new version',
  ),

  'regress.start': channel(
    z
      .object({
        change: z.discriminatedUnion('kind', [
          z.object({ kind: z.literal('variant'), name: PromptVariantNameSchema }).strict(),
          z.object({ kind: z.literal('component'), key: z.string().max(48) }).strict(),
          z.object({ kind: z.literal('model'), modelId: ModelIdSchema }).strict(),
        ]),
      })
      .strict(),
    z.object({ runId: z.string(), plan: RegressionPlanView }),
    'run the regression gate for the latest version of a change',
  ),
  'regress.report': channel(
    z.object({ runId: RunId }).strict(),
    RegressionReportView,
    'regression gate result',
  ),
  'regress.rollback': channel(
    z.object({ runId: RunId }).strict(),
    z.object({
      kind: z.string(),
      name: z.string(),
      version: z.int(),
      /** Models the gate's own failures had auto-disabled, enabled again by the rollback. */
      reenabled: z.array(z.string()),
    }),
    'roll back the change a regression run tested (writes a new version equal to the old one)',
  ),

  'compare.start': channel(
    z
      .object({
        columns: z
          .array(
            z
              .object({
                modelId: ModelIdSchema,
                configVersion: z.int().min(1).optional(),
                promptVariant: PromptVariantNameSchema.optional(),
              })
              .strict(),
          )
          .min(2)
          .max(6),
        fixtures: z.int().min(1).max(50).default(10),
      })
      .strict(),
    z.object({ runId: z.string() }),
    'start a side-by-side run',
  ),
  'compare.get': channel(
    z.object({ runId: RunId }).strict(),
    CompareView,
    'a side-by-side run as a table',
  ),

  'budget.summary': channel(
    z
      .object({
        days: z.int().min(1).max(90).default(14),
        volumePerDay: z.int().min(1).max(100_000_000).default(1000),
      })
      .strict(),
    BudgetView,
    'spend, cost per success, tokens, timeout tiers, time to first token, projection',
  ),

  'settings.get': channel(
    None,
    z.object({
      dataDir: z.string(),
      providers: z.array(z.object({ provider: ProviderSchema, key: KeyState })),
      budget: BudgetSchema,
      thresholds: z.object({
        autoDisableAfter: z.int(),
        workingAfterCleanCanaries: z.int(),
        timeoutCeilingMs: z.int(),
        premiumTimeoutCeilingMs: z.int(),
        maxFallbackDepth: z.int(),
      }),
      keyStorage: z.enum(['os-keychain', 'session-only']),
      /** The OS keychain offers no real encryption (Electron's basic_text): saving a key needs the operator's opt-in. */
      keyStoragePlainTextOnly: z.boolean(),
    }),
    'providers (keys masked), budget, thresholds, data folder',
  ),
  'settings.saveBudget': channel(
    z.object({ budget: BudgetSchema }).strict(),
    Ok.extend({
      /** Saved anyway: a cap that leaves today's calls no room (at or below today's spend), in words. */
      warnings: z.array(z.string()).optional(),
    }),
    'daily and run budget, fallback cost ceiling',
  ),
  'settings.saveProvider': channel(
    z.object({ provider: ProviderSchema }).strict(),
    Ok,
    'add or change a provider',
  ),
  'settings.setKey': channel(
    z
      .object({
        providerId: z.string().min(1).max(64),
        key: z.string().min(1).max(500),
        allowPlainText: z.boolean().default(false),
      })
      .strict(),
    KeyState,
    'store a provider key (encrypted by the OS keychain); answers only its masked form',
  ),
  'settings.clearKey': channel(
    z.object({ providerId: z.string().min(1).max(64) }).strict(),
    Ok,
    'forget a provider key',
  ),

  'status.export': channel(
    None,
    z.object({ fileName: z.string(), content: z.string() }),
    'model-status.json',
  ),
  'status.import': channel(
    z.object({ content: FileContent, dryRun: z.boolean().default(true) }).strict(),
    z.object({
      ok: z.boolean(),
      applied: z.boolean(),
      problems: z.array(z.string()),
      changes: z.array(
        z.object({ modelId: z.string(), field: z.string(), from: z.unknown(), to: z.unknown() }),
      ),
    }),
    'read model-status.json: show the diff, apply all or nothing',
  ),

  'notifications.list': channel(
    z.object({ limit: z.int().min(1).max(500).default(100) }).strict(),
    z.array(NotificationView),
    'the in-app feed',
  ),

  'simulator.faults': channel(
    None,
    z.array(z.object({ id: z.string(), spec: FaultSpecSchema, fired: z.int() })),
    'faults injected into the built-in simulator',
  ),
  'simulator.inject': channel(
    z.object({ spec: FaultSpecSchema }).strict(),
    z.object({ id: z.string() }),
    'drill: make the simulator misbehave',
  ),
  'simulator.clear': channel(
    z.object({ id: z.string().max(100).optional() }).strict(),
    z.object({ cleared: z.int() }),
    'clear simulator faults',
  ),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export type ChannelInput<C extends Channel> = z.input<Contract[C]['input']>;
export type ChannelParsedInput<C extends Channel> = z.output<Contract[C]['input']>;
export type ChannelOutput<C extends Channel> = z.output<Contract[C]['output']>;
export const CHANNELS = Object.keys(contract) as Channel[];

/** Push events from main (batched: at most about 10 a second per kind). */
export const events = {
  'run.progress': z.object({
    runId: z.string(),
    kind: z.string(),
    done: z.int(),
    total: z.int(),
    succeeded: z.int(),
    /** Of `succeeded`, the items a fallback model answered. */
    viaFallback: z.int(),
    failed: z.int(),
    cancelled: z.int(),
    costUsd: z.number(),
    /** Why work waits right now (backing off after a 429, rate limit, circuit open), if it does. */
    waiting: z.string().nullable(),
    /** Models with items of this run still to finish: the others' rows show their own status again. */
    unfinishedModels: z.array(z.string()),
  }),
  'run.finished': z.object({ runId: z.string(), kind: z.string(), status: z.string() }),
  /** Models whose row changed (calls landed, status moved): the renderer refetches those rows. */
  'fleet.changed': z.object({ modelIds: z.array(z.string()) }),
  notification: NotificationView,
} as const;
export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.infer<Events[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

/** Errors cross the bridge as data: a class the UI can act on and a message for the operator. */
export const BridgeErrorSchema = z.object({
  error: z.object({
    code: z.enum(['invalid_input', 'not_found', 'conflict', 'unauthorized', 'internal']),
    message: z.string(),
    problems: z.array(z.string()).default([]),
  }),
});
export type BridgeError = z.infer<typeof BridgeErrorSchema>['error'];
