import { z } from 'zod';

export const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** What a provider accepts; the engine normalises requests (and fallbacks) to these. */
export const ProviderLimitsSchema = z
  .object({
    maxTokens: z.int().positive().optional().describe('Largest max_tokens the provider accepts'),
    temperatureMin: z.number().min(0).default(0),
    temperatureMax: z.number().positive().max(5).default(2),
    maxStopSequences: z.int().min(0).optional(),
    modelIdFormat: z
      .enum(['as-is', 'lowercase'])
      .default('as-is')
      .describe('How the provider spells model ids (Ollama-style hosts want lowercase)'),
  })
  .strict();
export type ProviderLimits = z.infer<typeof ProviderLimitsSchema>;

export const ProviderSchema = z
  .object({
    id: z.string().regex(PROVIDER_ID, 'lowercase letters, digits, ".", "_" or "-", at most 64'),
    kind: z.literal('openai-compatible').default('openai-compatible'),
    baseUrl: z.url({ protocol: /^https?$/ }).describe('Base URL including /v1'),
    apiKeyEnv: z
      .string()
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as TOGETHER_API_KEY')
      .optional()
      .describe('Environment variable holding the key (CLI); the desktop app uses the OS keychain'),
    keychainEntry: z.string().min(1).optional().describe('Keychain entry name (desktop app)'),
    simulated: z
      .boolean()
      .default(false)
      .describe('Served by the built-in simulator, started in-process on a free loopback port'),
    maxConcurrency: z.int().positive().max(1000).default(8),
    rpm: z.int().positive().optional().describe('Requests per minute'),
    tpm: z.int().positive().optional().describe('Tokens per minute'),
    supportsResponseFormat: z.boolean().default(false),
    limits: ProviderLimitsSchema.default({
      temperatureMin: 0,
      temperatureMax: 2,
      modelIdFormat: 'as-is',
    }),
  })
  .strict();
export type Provider = z.infer<typeof ProviderSchema>;
export type ProviderInput = z.input<typeof ProviderSchema>;
