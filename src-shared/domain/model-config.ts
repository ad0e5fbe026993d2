import { z } from 'zod';
import { DEFAULT_FIRST_TOKEN_TIMEOUT_MS, DEFAULT_MAX_TOKENS, DEFAULT_TEMPERATURE, DEFAULT_TIMEOUT_MS, MAX_MAX_TOKENS, MAX_TEMPERATURE, MIN_TIMEOUT_MS } from './limits';

export const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,127}$/;
export const ModelIdSchema = z
  .string()
  .regex(MODEL_ID, 'letters, digits and . _ : / @ + -, at most 128 characters');

export const PARSE_STEPS = [
  'capture-reasoning',
  'strip-fences',
  'extract-json',
  'repair-json',
  'coerce',
] as const;
export const ParseStepSchema = z.enum(PARSE_STEPS);
export type ParseStep = z.infer<typeof ParseStepSchema>;

/** `strict`: JSON.parse of the whole reply; `auto`: every step; or an ordered list of steps. */
export const ResponseHandlerSchema = z.union([
  z.enum(['strict', 'auto']),
  z.array(ParseStepSchema).min(1).max(PARSE_STEPS.length),
]);
export type ResponseHandler = z.infer<typeof ResponseHandlerSchema>;

export const PROMPT_VARIANT = /^[A-Z][A-Z0-9_]{0,47}$/;
export const PromptVariantNameSchema = z
  .string()
  .regex(PROMPT_VARIANT, 'UPPER_SNAKE_CASE, e.g. JSON_STRICT');

export const ModelConfigSchema = z
  .object({
    promptVariant: PromptVariantNameSchema.default('BASE'),
    promptOverride: z
      .string()
      .max(20_000)
      .optional()
      .describe("This model's own prompt text, appended to the composed prompt"),
    timeoutMs: z.int().min(MIN_TIMEOUT_MS).default(DEFAULT_TIMEOUT_MS),
    firstTokenTimeoutMs: z
      .int()
      .min(MIN_TIMEOUT_MS)
      .optional()
      .describe(
        `Streams: the deadline for the first content or reasoning token, at most timeoutMs (default: the smaller of timeoutMs and ${DEFAULT_FIRST_TOKEN_TIMEOUT_MS})`,
      ),
    responseHandler: ResponseHandlerSchema.default('auto'),
    fallback: ModelIdSchema.nullable().default(null).describe('Exact id of the fallback model'),
    stream: z.boolean().default(false),
    maxTokens: z.int().positive().max(MAX_MAX_TOKENS).default(DEFAULT_MAX_TOKENS),
    temperature: z.number().min(0).max(MAX_TEMPERATURE).default(DEFAULT_TEMPERATURE),
  })
  .strict()
  .superRefine((config, context) => {
    if (config.firstTokenTimeoutMs !== undefined && config.firstTokenTimeoutMs > config.timeoutMs) {
      context.addIssue({
        code: 'custom',
        path: ['firstTokenTimeoutMs'],
        input: config.firstTokenTimeoutMs,
        message: `first-token timeout ${config.firstTokenTimeoutMs} ms is over the call's timeout of ${config.timeoutMs} ms`,
      });
    }
  });
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;

export const DEFAULT_MODEL_CONFIG: ModelConfig = ModelConfigSchema.parse({});

/** A streamed call's first-token deadline: its own setting, else the default, never past the call's. */
export function firstTokenTimeoutMs(config: Pick<ModelConfig, 'timeoutMs' | 'firstTokenTimeoutMs'>): number {
  return Math.min(config.firstTokenTimeoutMs ?? DEFAULT_FIRST_TOKEN_TIMEOUT_MS, config.timeoutMs);
}
