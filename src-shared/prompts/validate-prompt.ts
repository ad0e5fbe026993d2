import { type Fixture, matchLine, REQUIRED_COMPONENTS, type TaskPack } from '../tasks';
import type { PromptSection } from './compose-prompt';

/**
 * What a composed prompt must contain to be worth sending: every required component, an output
 * format that names each field of the answer, and one line per fixture of the call.
 */
export function validatePrompt(
  task: TaskPack,
  prompt: { user: string; sections: readonly PromptSection[] },
  fixtures: readonly Fixture[],
): string[] {
  const problems: string[] = [];
  for (const key of REQUIRED_COMPONENTS) {
    const section = prompt.sections.find(
      (entry) => entry.kind === 'component' && entry.name === key,
    );
    if (!section || section.text === '') problems.push(`missing required section "${key}"`);
  }
  const outputFormat = prompt.sections.find(
    (entry) => entry.kind === 'component' && entry.name === 'output-format',
  );
  if (outputFormat) {
    for (const field of task.output.fields) {
      if (!outputFormat.text.includes(field.name)) {
        problems.push(`output format does not name the field "${field.name}"`);
      }
    }
  }
  if (fixtures.length === 0) problems.push('no fixture to fill the user prompt with');
  const withId = task.output.shape === 'array';
  if (!withId && fixtures.length > 1) {
    problems.push(`task "${task.id}" answers one fixture per call, got ${fixtures.length}`);
  }
  for (const fixture of fixtures) {
    if (!prompt.user.includes(matchLine(fixture, withId))) {
      problems.push(
        `user prompt does not list fixture "${fixture.id}" (does the template use {{matches}}?)`,
      );
    }
  }
  return problems;
}
