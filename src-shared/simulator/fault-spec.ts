import { z } from 'zod';

/**
 * Every way the simulator can misbehave. HTTP statuses are named by their number; the rest by what
 * the client sees. Stream-only kinds (`malformed-sse`, `missing-done`) never fire on a
 * non-streaming request.
 */
export const FAULT_KINDS = [
  '429',
  '500',
  '502',
  '503',
  '529',
  '404',
  '401',
  'context-length',
  'content-policy',
  'reset',
  'hang',
  'slow-first-token',
  'stall',
  'cut',
  'malformed-sse',
  'missing-done',
  'missing-finish-reason',
] as const;
export const FaultKindSchema = z.enum(FAULT_KINDS);
export type FaultKind = z.infer<typeof FaultKindSchema>;

export const STREAM_ONLY_FAULT_KINDS: ReadonlySet<FaultKind> = new Set([
  'malformed-sse',
  'missing-done',
]);

/** How a 429 tells the client when to come back. */
export const RetryAfterSchema = z
  .object({
    form: z
      .enum(['seconds', 'date', 'ms'])
      .default('seconds')
      .describe('`Retry-After: 2`, `Retry-After: <HTTP date>` or `retry-after-ms: 1500`'),
    ms: z.int().min(0).max(3_600_000).default(1_000),
  })
  .strict();
export type RetryAfter = z.infer<typeof RetryAfterSchema>;

export const FaultScheduleSchema = z
  .object({
    afterMs: z.int().min(0).default(0).describe('Starts this long after the fault is injected'),
    forMs: z.int().positive().optional().describe('Lasts this long, then the target is healthy'),
  })
  .strict();

export const FaultTargetSchema = z
  .object({
    provider: z.string().min(1).max(64).optional(),
    model: z.string().min(1).max(256).optional().describe('Provider model id as served'),
  })
  .strict();
export type FaultTarget = z.infer<typeof FaultTargetSchema>;

const faultFields = {
  kind: FaultKindSchema,
  rate: z
    .number()
    .min(0)
    .max(1)
    .default(1)
    .describe('Chance that a matching request gets the fault'),
  schedule: FaultScheduleSchema.optional(),
  count: z.int().positive().optional().describe('Only the first N matching requests'),
  retryAfter: RetryAfterSchema.optional().describe('429 only'),
  delayMs: z
    .int()
    .min(0)
    .max(600_000)
    .optional()
    .describe('slow-first-token: extra wait before the first token; stall: pause mid-stream'),
  label: z.string().max(200).optional(),
};

/** A fault injected into a running simulator (control endpoint or CLI). */
export const FaultSpecSchema = z
  .object({ ...faultFields, target: FaultTargetSchema.default({}) })
  .strict();
export type FaultSpec = z.infer<typeof FaultSpecSchema>;
export type FaultSpecInput = z.input<typeof FaultSpecSchema>;

/** A fault that is part of a model's personality (its target is the model itself). */
export const ProfileFaultSchema = z.object(faultFields).strict();
export type ProfileFault = z.infer<typeof ProfileFaultSchema>;

/** What a running simulator reports for each injected fault. */
export interface ActiveFault {
  id: string;
  spec: FaultSpec;
  injectedAt: number;
  /** Requests this fault has been applied to. */
  fired: number;
}

export const DEFAULT_STALL_MS = 5_000;
export const DEFAULT_SLOW_FIRST_TOKEN_MS = 20_000;
