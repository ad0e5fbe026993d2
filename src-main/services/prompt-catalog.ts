import type { PromptVersions } from '../../src-shared/domain';
import { NotFoundError } from '../../src-shared/errors';
import { BUILTIN_VARIANTS, type PromptVariant, resolveVariant } from '../../src-shared/prompts';
import type { TaskPack } from '../../src-shared/tasks';
import { PromptRepository } from '../store';
import { loadTaskPack } from './task-packs';
import type { Workspace } from './workspace';

export interface PromptCatalog {
  /** The task pack with each component at its latest recorded version. */
  task: TaskPack;
  componentVersions: Record<string, number>;
  /** Every variant at its latest stored version, built-in names included (an operator's edit wins). */
  variants: PromptVariant[];
  /** Operator-defined variants (names that are not built in), newest version of each. */
  customVariants: PromptVariant[];
  builtinVariants: readonly PromptVariant[];
}

/**
 * What a run composes its prompts from. The task pack's files are the shipped first version of
 * each component and the code holds the shipped built-in variants; once recorded, the database is
 * the source of truth, so an operator's edit is never overwritten by the text it started from.
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
  const strip = ({ name, version, text }: PromptVariant): PromptVariant => ({ name, version, text });
  return {
    task: { ...shipped, components },
    componentVersions,
    variants: prompts.latestVariants().map(strip),
    customVariants: prompts.listCustomVariants().map(strip),
    builtinVariants: BUILTIN_VARIANTS,
  };
}

/** A variant by exact name: the stored latest version, else the shipped built-in. */
export function variantResolver(variants: readonly PromptVariant[]): (name: string) => PromptVariant | undefined {
  return (name) => resolveVariant(name, [], variants) ?? resolveVariant(name, BUILTIN_VARIANTS);
}

export type { PromptVersions };

/** The versions a run composes with: every component, and the variant each model name uses. */
export function promptVersionsOf(catalog: PromptCatalog, variantNames: Iterable<string>): PromptVersions {
  const resolve = variantResolver(catalog.variants);
  const variants: Record<string, number> = {};
  for (const name of [...new Set(variantNames)].sort()) {
    const variant = resolve(name);
    if (variant) variants[name] = variant.version;
  }
  return { components: { ...catalog.componentVersions }, variants };
}

/**
 * The catalog as a run pinned it: each component and variant at its pinned version (a resumed run
 * composes with these, not with edits made since). Components added since keep their latest text.
 */
export function catalogAt(workspace: Workspace, taskId: string, pinned: PromptVersions): PromptCatalog {
  const current = loadPromptCatalog(workspace, taskId);
  const prompts = new PromptRepository(workspace.db);
  const componentVersions = { ...current.componentVersions };
  const components = current.task.components.map((component) => {
    const version = pinned.components[component.key];
    if (version === undefined) return component;
    const stored = prompts.getComponent(taskId, component.key, version);
    if (!stored) throw new NotFoundError(`component ${component.key} v${version}, pinned by the run, is missing`);
    componentVersions[component.key] = version;
    return { ...component, text: stored.text };
  });
  const variants = Object.entries(pinned.variants).map(([name, version]): PromptVariant => {
    const stored = prompts.getVariant(name, version);
    if (!stored) throw new NotFoundError(`variant ${name} v${version}, pinned by the run, is missing`);
    return { name, version, text: stored.text };
  });
  return { ...current, task: { ...current.task, components }, componentVersions, variants };
}
