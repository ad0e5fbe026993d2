import { z } from 'zod';

/**
 * A model's lifecycle status. `disabled` is automatic (with reason); `inactive` and `unfixable`
 * are operator verdicts. `working` needs N consecutive clean canaries on the current config.
 */
export const MODEL_STATUSES = [
  'untested',
  'working',
  'degraded',
  'failing',
  'disabled',
  'inactive',
  'unfixable',
] as const;
export const ModelStatusNameSchema = z.enum(MODEL_STATUSES);
export type ModelStatusName = z.infer<typeof ModelStatusNameSchema>;

export const ModelStatusSchema = z.object({
  modelId: z.string(),
  status: ModelStatusNameSchema,
  /** Why the model has this status (the chip's tooltip), e.g. "5 consecutive failures: timeout". */
  reason: z.string().nullable(),
  configVersion: z.int().positive(),
  lastValidated: z.string().nullable(),
});
export type ModelStatus = z.infer<typeof ModelStatusSchema>;

export interface Coverage {
  working: number;
  active: number;
  unfixable: number;
  /** active - unfixable: the models we expect to work. */
  eligible: number;
  /** working / eligible in percent, one decimal; null when nothing is eligible. */
  percent: number | null;
  total: number;
}

/**
 * Coverage counts every figure from the same list of statuses, so the grid header, the model
 * page and model-status.json can never disagree. Inactive models are not active; unfixable ones
 * are active but excluded from the denominator.
 */
export function computeCoverage(statuses: readonly { status: ModelStatusName }[]): Coverage {
  let working = 0;
  let active = 0;
  let unfixable = 0;
  for (const { status } of statuses) {
    if (status === 'inactive') continue;
    active++;
    if (status === 'working') working++;
    if (status === 'unfixable') unfixable++;
  }
  const eligible = active - unfixable;
  const percent = eligible === 0 ? null : Math.round((working / eligible) * 1000) / 10;
  return { working, active, unfixable, eligible, percent, total: statuses.length };
}

export function describeCoverage(coverage: Coverage): string {
  if (coverage.percent === null) return `0 of 0 active models working`;
  return `${coverage.working} of ${coverage.eligible} active models working, ${coverage.percent.toFixed(1)}%`;
}
