export { affectedModels, type PromptChange, type PromptUser } from './affected-models';
export { BUILTIN_VARIANT_NAMES, BUILTIN_VARIANTS, isBuiltinVariant } from './builtin-variants';
export {
  type ComposedPrompt,
  type ComposeInput,
  composePrompt,
  type PromptSection,
  type SectionKind,
} from './compose-prompt';
export { type PromptVariant, PromptVariantSchema, resolveVariant } from './prompt-variant';
export { validatePrompt } from './validate-prompt';
