import { z } from 'zod';
import { PromptVariantNameSchema } from '../domain/model-config';

/** A versioned piece of system prompt chosen per model by name (`config.promptVariant`). */
export const PromptVariantSchema = z
  .object({
    name: PromptVariantNameSchema,
    version: z.int().min(1),
    text: z.string().max(20_000),
  })
  .strict();
export type PromptVariant = z.infer<typeof PromptVariantSchema>;

/**
 * Finds a variant by exact name: built-ins first, then operator-defined ones (the newest version
 * of each). Never a prefix or substring match.
 */
export function resolveVariant(
  name: string,
  builtins: readonly PromptVariant[],
  custom: readonly PromptVariant[] = [],
): PromptVariant | undefined {
  const builtin = builtins.find((variant) => variant.name === name);
  if (builtin) return builtin;
  let newest: PromptVariant | undefined;
  for (const variant of custom) {
    if (variant.name === name && (newest === undefined || variant.version > newest.version))
      newest = variant;
  }
  return newest;
}
