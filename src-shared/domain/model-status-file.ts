import { z } from 'zod';
import { ModelIdSchema, PromptVariantNameSchema, ResponseHandlerSchema } from './model-config';
import { ModelStatusNameSchema } from './status';

const Timestamp = z.iso.datetime({ offset: true });
const Share = z.number().min(0).max(1);

/**
 * model-status.json (docs/model-status.md): the fleet's true state for downstream systems, and a
 * way to carry operator decisions between workspaces. On import only the operator's fields are
 * applied (active, an inactive/unfixable verdict with its reason and re-test date, and the four
 * config fields); everything else is a fact derived from runs and is ignored.
 */
export const ModelStatusEntrySchema = z
  .object({
    active: z
      .boolean()
      .describe('false: taken out of the fleet by an operator (status "inactive")'),
    status: ModelStatusNameSchema,
    workingSince: Timestamp.nullable().describe(
      'When the current run of clean canaries made the model working',
    ),
    lastValidated: Timestamp.nullable().describe('The last run that tested the model on its current config (canary, probe, regression, soak or check)'),
    config: z
      .object({
        promptVariant: PromptVariantNameSchema,
        timeoutMs: z.int().min(1_000),
        responseHandler: ResponseHandlerSchema,
        fallback: ModelIdSchema.nullable(),
      })
      .strict(),
    configVersion: z.int().positive(),
    fixAttempts: z
      .array(
        z
          .object({
            version: z.int().positive(),
            note: z.string(),
            successRate: Share.nullable().describe(
              'Share of fixtures the model answered itself at this version; null if untested',
            ),
            at: Timestamp,
          })
          .strict(),
      )
      .describe('Every config version: each is a fix attempt with its operator note'),
    inactiveReason: z
      .string()
      .max(500)
      .nullable()
      .describe('Why the model is inactive or unfixable'),
    retestAt: Timestamp.nullable().default(null).describe('Unfixable models: when to test again'),
    metrics: z
      .object({
        successRate: Share.nullable(),
        p50LatencyMs: z.number().min(0).nullable(),
        p95LatencyMs: z.number().min(0).nullable(),
        costPerSuccessUsd: z.number().min(0).nullable(),
        viaFallbackRate: Share.nullable(),
      })
      .strict()
      .describe('Over the recent calls on the current config'),
  })
  .strict();
export type ModelStatusEntry = z.infer<typeof ModelStatusEntrySchema>;

export const ModelStatusFileSchema = z
  .object({
    version: z.literal(1),
    generatedAt: Timestamp,
    coverage: z
      .object({
        working: z.int().min(0),
        active: z.int().min(0),
        unfixable: z.int().min(0),
        eligible: z.int().min(0),
        percent: z.number().min(0).max(100).nullable(),
        total: z.int().min(0),
        label: z.string(),
      })
      .strict()
      .describe('working / (active - unfixable), with the raw counts'),
    models: z.record(ModelIdSchema, ModelStatusEntrySchema),
  })
  .strict();
export type ModelStatusFile = z.infer<typeof ModelStatusFileSchema>;
