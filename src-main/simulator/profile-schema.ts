import { z } from 'zod';
import { ProfileFaultSchema } from '../../src-shared/simulator';

/** How a simulated model writes its answer (see docs/simulator.md for an example of each). */
export const REPLY_STYLES = [
  'clean',
  'fenced',
  'prose-wrapped',
  'prose-only',
  'think-block',
  'reasoning-field',
  'snake-case',
  'nested',
  'numeric-strings',
  'chinese-prose',
  'garbage',
] as const;
export type ReplyStyle = (typeof REPLY_STYLES)[number];

/** How well the scores follow the strengths in the prompt. */
export const SKILLS = ['good', 'fair', 'poor', 'context-blind', 'stuck', 'unrealistic'] as const;
export type Skill = (typeof SKILLS)[number];

/** Prompt variants a simulated model recognises, by their exact sentence in the system message. */
export const VARIANT_SENTENCES = {
  JSON_STRICT: 'Reply with the JSON only.',
  THINKING_STRIPPED: 'Do not think out loud.',
  ENGLISH_ONLY: 'Answer in English only.',
} as const;
export type RecognisedVariant = keyof typeof VARIANT_SENTENCES;
export const RECOGNISED_VARIANTS = Object.keys(VARIANT_SENTENCES) as RecognisedVariant[];

export const LatencySchema = z
  .object({
    ttftMs: z.number().min(0).max(600_000).default(300).describe('Time to first token'),
    ttftSpreadMs: z.number().min(0).max(600_000).default(100),
    tokensPerSecond: z.number().positive().max(100_000).default(80),
    tokensPerSecondSpread: z.number().min(0).max(100_000).default(15),
  })
  .strict();
export type Latency = z.infer<typeof LatencySchema>;

export const ReasoningSchema = z
  .object({
    tokens: z.int().min(0).max(100_000).default(0).describe('Mean reasoning tokens per reply'),
    spread: z.int().min(0).max(100_000).default(0),
  })
  .strict();

/** What a recognised prompt variant changes about the model. */
export const VariantOverrideSchema = z
  .object({
    style: z.enum(REPLY_STYLES).optional(),
    skill: z.enum(SKILLS).optional(),
    reasoning: ReasoningSchema.optional(),
  })
  .strict();
export type VariantOverride = z.infer<typeof VariantOverrideSchema>;

export const ProfileSchema = z
  .object({
    provider: z.string().min(1).max(64).describe('Simulated provider serving this model id'),
    note: z.string().max(500).optional().describe('Why this personality exists'),
    style: z.enum(REPLY_STYLES).default('clean'),
    skill: z.enum(SKILLS).default('good'),
    stuckScore: z.tuple([z.int().min(0), z.int().min(0)]).default([1, 0]),
    latency: LatencySchema.default(LatencySchema.parse({})),
    reasoning: ReasoningSchema.default({ tokens: 0, spread: 0 }),
    contextWindow: z.int().positive().default(32_768),
    gone: z
      .boolean()
      .default(false)
      .describe('The provider no longer serves this id (a renamed alias): every request is a 404'),
    variants: z.partialRecord(z.enum(RECOGNISED_VARIANTS), VariantOverrideSchema).default({}),
    faults: z.array(ProfileFaultSchema).default([]),
  })
  .strict();
export type Profile = z.infer<typeof ProfileSchema>;
export type ProfileInput = z.input<typeof ProfileSchema>;

/** `resources/simulator/profiles.json`: personalities keyed by the provider model id as served. */
export const SimulatorProfilesSchema = z
  .object({
    version: z.literal(1),
    models: z.record(z.string().min(1).max(256), ProfileSchema),
  })
  .strict();
export type SimulatorProfiles = z.infer<typeof SimulatorProfilesSchema>;
export type SimulatorProfilesInput = z.input<typeof SimulatorProfilesSchema>;
