import { type TaskPack, TaskPackSchema } from '../src-shared/tasks';

/**
 * A TaskPack from a task.json and fixtures, with stand-in component texts: for src-shared tests,
 * which cannot use the Node loader in src-main/services/task-packs.ts.
 */
export function packOf(
  file: object,
  fixtures: unknown,
  options: { components?: { key: string; text: string }[]; userTemplate?: string } = {},
): TaskPack {
  const { components: _components, userTemplate: _template, ...rest } = file as Record<string, unknown>;
  return TaskPackSchema.parse({
    ...rest,
    components: options.components ?? [
      { key: 'base', text: 'base' },
      { key: 'rules', text: 'rules' },
      { key: 'output-format', text: 'homeScore awayScore matchId' },
    ],
    userTemplate: options.userTemplate ?? '{{matches}}',
    fixtures,
  });
}
