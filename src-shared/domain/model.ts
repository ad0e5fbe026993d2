import { z } from 'zod';
import { ModelConfigSchema, ModelIdSchema } from './model-config';
import { PROVIDER_ID } from './provider';

/** Dollars per 1M tokens as written by operators; stored and summed as micro-dollars. */
export const PricingSchema = z
  .object({
    promptPer1M: z.number().min(0).max(10_000),
    completionPer1M: z.number().min(0).max(10_000),
  })
  .strict();
export type Pricing = z.infer<typeof PricingSchema>;

export const ModelTraitsSchema = z
  .object({
    reasoning: z.boolean().default(false).describe('Emits reasoning (think blocks or a field)'),
    defaultLanguage: z.string().min(2).max(8).default('en'),
  })
  .strict();

export const ModelSchema = z
  .object({
    id: ModelIdSchema,
    provider: z.string().regex(PROVIDER_ID),
    providerModelId: z.string().min(1).max(256),
    family: z.string().min(1).max(64).optional(),
    parameterSizeB: z.number().positive().max(100_000).optional(),
    /** null = explicitly unpriced: flagged everywhere, never counted as $0. */
    pricing: PricingSchema.nullable().default(null),
    traits: ModelTraitsSchema.default({ reasoning: false, defaultLanguage: 'en' }),
    premium: z.boolean().default(false),
    active: z.boolean().default(true),
    config: ModelConfigSchema.default(ModelConfigSchema.parse({})),
  })
  .strict();
export type Model = z.infer<typeof ModelSchema>;
export type ModelInput = z.input<typeof ModelSchema>;
