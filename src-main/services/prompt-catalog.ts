import { BUILTIN_VARIANTS, type PromptVariant } from '../../src-shared/prompts';
import type { TaskPack } from '../../src-shared/tasks';
import { PromptRepository } from '../store';
import { loadTaskPack } from './task-packs';
import type { Workspace } from './workspace';

export interface PromptCatalog {
  /** The task pack with each component at its latest recorded version. */
  task: TaskPack;
  componentVersions: Record<string, number>;
  /** Operator-defined variants, newest version of each. */
  customVariants: PromptVariant[];
  builtinVariants: readonly PromptVariant[];
}

/**
 * What a run composes its prompts from. The task pack's files are the shipped first version of
 * each component; once recorded, the database is the source of truth, so an operator's edit is
 * never overwritten by the file it started from.
 */
export function loadPromptCatalog(workspace: Workspace, taskId: string = workspace.fleet.task()): PromptCatalog {
  const shipped = loadTaskPack(taskId);
  const prompts = new PromptRepository(workspace.db);
  const unrecorded = shipped.components.filter((component) => prompts.latestComponent(taskId, component.key) === undefined);
  if (unrecorded.length > 0) prompts.syncComponents(taskId, unrecorded, 'shipped with the task pack');
  prompts.syncBuiltinVariants(BUILTIN_VARIANTS);
  const componentVersions: Record<string, number> = {};
  const components = shipped.components.map((component) => {
    const latest = prompts.latestComponent(taskId, component.key);
    if (!latest) return component;
    componentVersions[component.key] = latest.version;
    return { ...component, text: latest.text };
  });
  return {
    task: { ...shipped, components },
    componentVersions,
    customVariants: prompts.listCustomVariants(),
    builtinVariants: BUILTIN_VARIANTS,
  };
}
