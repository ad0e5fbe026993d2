import { fillTemplate, type Fixture, REQUIRED_COMPONENTS, type TaskPack } from '../tasks';
import type { PromptVariant } from './prompt-variant';
import { validatePrompt } from './validate-prompt';

export type SectionKind = 'component' | 'variant' | 'override';

export interface PromptSection {
  kind: SectionKind;
  /** Component key (`base`, `rules`, `output-format`, ...), variant name, or the model id. */
  name: string;
  /** Recorded version, when known (components and variants are versioned in the store). */
  version: number | undefined;
  text: string;
}

export interface ComposedPrompt {
  system: string;
  user: string;
  sections: PromptSection[];
  /** Required sections that are missing or incomplete; empty for a usable prompt. */
  problems: string[];
}

export interface ComposeInput {
  task: TaskPack;
  variant: PromptVariant;
  /** The model's own text (`config.promptOverride`), looked up by exact model id. */
  override?: { modelId: string; text: string | undefined } | undefined;
  /** The fixtures of this call: one for object answers, a group for array answers. */
  fixtures: readonly Fixture[];
  /** Recorded versions of the task components, by key. */
  componentVersions?: Readonly<Record<string, number>> | undefined;
}

function orderedComponents(task: TaskPack): TaskPack['components'] {
  const required = REQUIRED_COMPONENTS.flatMap((key) =>
    task.components.filter((component) => component.key === key),
  );
  const others = task.components.filter(
    (component) => !(REQUIRED_COMPONENTS as readonly string[]).includes(component.key),
  );
  // Output format goes last among the task's components, right before the variant, so the
  // instruction small models follow most closely is the one about the shape of the answer.
  const outputFormat = required.filter((component) => component.key === 'output-format');
  return [
    ...required.filter((component) => component.key !== 'output-format'),
    ...others,
    ...outputFormat,
  ];
}

/**
 * system = task components (base, rules, others, output format) + variant + the model's override;
 * user = the task's template filled from the fixtures. Empty sections are left out.
 */
export function composePrompt(input: ComposeInput): ComposedPrompt {
  const sections: PromptSection[] = orderedComponents(input.task).map((component) => ({
    kind: 'component',
    name: component.key,
    version: input.componentVersions?.[component.key],
    text: component.text.trim(),
  }));
  sections.push({
    kind: 'variant',
    name: input.variant.name,
    version: input.variant.version,
    text: input.variant.text.trim(),
  });
  const overrideText = input.override?.text?.trim();
  if (input.override && overrideText) {
    sections.push({
      kind: 'override',
      name: input.override.modelId,
      version: undefined,
      text: overrideText,
    });
  }
  const present = sections.filter((section) => section.text !== '');
  const system = present.map((section) => section.text).join('\n\n');
  const user = fillTemplate(input.task, input.fixtures).trim();
  const prompt = { system, user, sections: present };
  return { ...prompt, problems: validatePrompt(input.task, prompt, input.fixtures) };
}
