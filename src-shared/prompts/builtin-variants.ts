import type { PromptVariant } from './prompt-variant';

/**
 * The variants every workspace has. The exact sentences are a contract with the simulator, which
 * finds them with regexes: change them only together with src-main/simulator.
 */
export const BUILTIN_VARIANTS: readonly PromptVariant[] = [
  { name: 'BASE', version: 1, text: '' },
  {
    name: 'JSON_STRICT',
    version: 1,
    text: 'Reply with the JSON only. No Markdown code fences, no explanation, no text before or after the JSON.',
  },
  {
    name: 'THINKING_STRIPPED',
    version: 1,
    text: 'Do not think out loud. Give the final answer directly, without reasoning, <think> blocks or commentary.',
  },
  {
    name: 'ENGLISH_ONLY',
    version: 1,
    text: 'Answer in English only. Use the English field names exactly as given, even if you usually reply in another language.',
  },
];

export const BUILTIN_VARIANT_NAMES: readonly string[] = BUILTIN_VARIANTS.map(
  (variant) => variant.name,
);

export function isBuiltinVariant(name: string): boolean {
  return BUILTIN_VARIANT_NAMES.includes(name);
}
