import type { Fixture, TaskPack } from './task-pack';

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9]*)\s*\}\}/g;

export const TEMPLATE_PLACEHOLDERS = ['matches', 'count', 'competition', 'kickoff'] as const;
export type TemplatePlaceholder = (typeof TEMPLATE_PLACEHOLDERS)[number];

/** Names of the `{{placeholders}}` in a template, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  const names: string[] = [];
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] as string;
    if (!names.includes(name)) names.push(name);
  }
  return names;
}

/** Placeholders the template uses that `fillTemplate` does not know. */
export function unknownPlaceholders(template: string): string[] {
  return templatePlaceholders(template).filter(
    (name) => !(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(name),
  );
}

/**
 * One line per match, the contract the simulator reads: `{home} (strength {n}) vs {away}
 * (strength {n})`, prefixed with `[{matchId}] ` when the answer is an array.
 */
export function matchLine(fixture: Fixture, withId: boolean): string {
  const line = `${fixture.home.name} (strength ${fixture.home.strength}) vs ${fixture.away.name} (strength ${fixture.away.strength})`;
  return withId ? `[${fixture.id}] ${line}` : line;
}

function joinDistinct(values: readonly string[]): string {
  return [...new Set(values)].join(', ');
}

/**
 * Fills the task's user template from the fixtures of one call (one fixture for an object
 * answer, a group for an array answer). Unknown placeholders are left as written; the loader
 * rejects them before this runs.
 */
export function fillTemplate(
  task: Pick<TaskPack, 'userTemplate' | 'output'>,
  fixtures: readonly Fixture[],
): string {
  const withId = task.output.shape === 'array';
  const values: Record<TemplatePlaceholder, string> = {
    matches: fixtures.map((fixture) => matchLine(fixture, withId)).join('\n'),
    count: String(fixtures.length),
    competition: joinDistinct(fixtures.map((fixture) => fixture.competition)),
    kickoff: joinDistinct(fixtures.map((fixture) => fixture.kickoff)),
  };
  return task.userTemplate.replace(PLACEHOLDER, (whole, name: string) =>
    name in values ? values[name as TemplatePlaceholder] : whole,
  );
}

/**
 * The fixtures of each call: one per call for object answers, consecutive groups of
 * `batchSize` for array answers.
 */
export function groupFixtures(
  task: Pick<TaskPack, 'output' | 'batchSize'>,
  fixtures: readonly Fixture[],
): Fixture[][] {
  const size = task.output.shape === 'array' ? (task.batchSize ?? fixtures.length) : 1;
  const groups: Fixture[][] = [];
  for (let start = 0; start < fixtures.length; start += size) {
    groups.push(fixtures.slice(start, start + size));
  }
  return groups;
}
