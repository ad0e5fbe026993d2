import { DEFAULT_MODEL_CONFIG } from '../../src-shared/domain';
import { InputError, NotFoundError } from '../../src-shared/errors';
import type { PromptChangeInput, RegressionPlanView } from '../../src-shared/ipc';
import { composePrompt, isBuiltinVariant, type PromptVariant } from '../../src-shared/prompts';
import { type Fixture, groupFixtures, type TaskPack } from '../../src-shared/tasks';
import { PromptRepository, type StoredModel } from '../store';
import { loadPromptCatalog, type PromptCatalog, variantResolver } from './prompt-catalog';
import { planChange } from './regression';
import type { Workspace } from './workspace';

export interface PromptCatalogView {
  task: string;
  components: { key: string; version: number; text: string; usedBy: string[] }[];
  variants: { name: string; version: number; text: string; builtin: boolean; usedBy: string[] }[];
}

/** Task components and variants at their latest versions, with the models using each. */
export function promptCatalogView(workspace: Workspace): PromptCatalogView {
  const catalog = loadPromptCatalog(workspace);
  const models = workspace.fleet.listModels();
  const all = models.map((model) => model.id);
  return {
    task: catalog.task.id,
    components: catalog.task.components.map((component) => ({
      key: component.key,
      version: catalog.componentVersions[component.key] ?? 1,
      text: component.text,
      usedBy: all,
    })),
    variants: catalog.variants.map((variant) => ({
      name: variant.name,
      version: variant.version,
      text: variant.text,
      builtin: isBuiltinVariant(variant.name),
      usedBy: models.filter((model) => model.config.promptVariant === variant.name).map((model) => model.id),
    })),
  };
}

/** Every version of a variant or component, oldest first. */
export function promptHistory(workspace: Workspace, kind: 'variant' | 'component', name: string): { version: number; text: string; note: string; createdAt: string }[] {
  loadPromptCatalog(workspace);
  const prompts = new PromptRepository(workspace.db);
  const history = kind === 'variant' ? prompts.variantHistory(name) : prompts.componentHistory(workspace.fleet.task(), name);
  if (history.length === 0) throw new NotFoundError(`unknown ${kind} "${name}"`);
  return history.map((entry) => ({ version: entry.version, text: entry.text, note: entry.note, createdAt: entry.createdAt }));
}

export interface ComposedForModel {
  task: string;
  /** The variant as resolved (latest stored version), or null when it does not exist. */
  variant: { name: string; version: number } | null;
  fixtureIds: string[];
  system: string;
  user: string;
  sections: { kind: string; name: string; version: number | null; text: string }[];
  problems: string[];
}

function composeWith(catalog: Pick<PromptCatalog, 'task' | 'componentVersions' | 'variants'>, model: Pick<StoredModel, 'id' | 'config'>, fixtureId?: string): ComposedForModel {
  const task = catalog.task;
  const groups = groupFixtures(task, task.fixtures);
  const fixtures = fixtureId === undefined ? groups[0] : groups.find((group) => group.some((fixture) => fixture.id === fixtureId));
  if (!fixtures) throw new NotFoundError(`unknown fixture "${fixtureId}" in task "${task.id}"`);
  return composeFixtures(catalog, model, fixtures);
}

/** The prompt `model` gets for exactly these fixtures, from this catalog. */
export function composeFixtures(
  catalog: Pick<PromptCatalog, 'task' | 'componentVersions' | 'variants'>,
  model: Pick<StoredModel, 'id' | 'config'>,
  fixtures: readonly Fixture[],
): ComposedForModel {
  const task = catalog.task;
  const variant = variantResolver(catalog.variants)(model.config.promptVariant);
  const fixtureIds = fixtures.map((fixture) => fixture.id);
  if (!variant) {
    return { task: task.id, variant: null, fixtureIds, system: '', user: '', sections: [], problems: [`prompt variant "${model.config.promptVariant}" does not exist`] };
  }
  const prompt = composePrompt({
    task,
    variant,
    override: { modelId: model.id, text: model.config.promptOverride },
    fixtures,
    componentVersions: catalog.componentVersions,
  });
  return {
    task: task.id,
    variant: { name: variant.name, version: variant.version },
    fixtureIds,
    system: prompt.system,
    user: prompt.user,
    sections: prompt.sections.map((section) => ({ kind: section.kind, name: section.name, version: section.version ?? null, text: section.text })),
    problems: prompt.problems,
  };
}

/** The prompt a model gets now: the stored components, its variant's latest version, its override. */
export function composeForModel(workspace: Workspace, modelId: string, fixtureId?: string): ComposedForModel {
  return composeWith(loadPromptCatalog(workspace), workspace.fleet.requireModel(modelId), fixtureId);
}

/** Problems of the prompt `model` would get with `config` (a config change being checked). */
export function promptProblemsFor(workspace: Workspace, model: Pick<StoredModel, 'id' | 'config'>): string[] {
  return promptProblemsWith(loadPromptCatalog(workspace), model);
}

/** The same, against a catalog already loaded (checking many models at once). */
export function promptProblemsWith(catalog: PromptCatalog, model: Pick<StoredModel, 'id' | 'config'>): string[] {
  return composeWith(catalog, model).problems;
}

/** The catalog as it would be after `change`, with the version it would get. */
function catalogAfter(workspace: Workspace, change: PromptChangeInput): { catalog: PromptCatalog; version: number; changed: boolean } {
  const catalog = loadPromptCatalog(workspace);
  if (change.kind === 'variant') {
    const latest = catalog.variants.find((variant) => variant.name === change.name);
    const changed = latest?.text !== change.text;
    const version = changed ? (latest?.version ?? 0) + 1 : latest!.version;
    const next: PromptVariant = { name: change.name, version, text: change.text };
    return { catalog: { ...catalog, variants: [...catalog.variants.filter((variant) => variant.name !== change.name), next] }, version, changed };
  }
  const component = catalog.task.components.find((entry) => entry.key === change.key);
  if (!component) throw new NotFoundError(`task "${catalog.task.id}" has no component "${change.key}"`);
  const changed = component.text !== change.text;
  const current = catalog.componentVersions[change.key] ?? 1;
  const version = changed ? current + 1 : current;
  const task: TaskPack = { ...catalog.task, components: catalog.task.components.map((entry) => (entry.key === change.key ? { ...entry, text: change.text } : entry)) };
  return { catalog: { ...catalog, task, componentVersions: { ...catalog.componentVersions, [change.key]: version } }, version, changed };
}

/**
 * What the changed prompt would break before it runs: every affected model's composed prompt is
 * validated (required sections, an output format naming every field), and so is the bare task
 * prompt, so a change that leaves a required section empty is caught even with no user yet.
 */
function problemsAfter(workspace: Workspace, catalog: PromptCatalog, change: PromptChangeInput): string[] {
  const users = workspace.fleet
    .listModels()
    .filter((model) => model.active && (change.kind === 'component' || model.config.promptVariant === change.name));
  const bare = { id: 'any-model', config: { ...DEFAULT_MODEL_CONFIG, promptVariant: change.kind === 'variant' ? change.name : 'BASE' } };
  const problems = new Set<string>();
  // A variant other than BASE exists to add instructions: emptied, it would silently be BASE
  // under another name (an empty file saved by mistake, say), and its gate would prove nothing.
  if (change.kind === 'variant' && change.name !== 'BASE' && change.text.trim() === '')
    problems.add(`variant ${change.name} would be empty (the same prompt as BASE): give its instructions, or move its models to BASE`);
  for (const subject of [bare, ...users]) {
    for (const problem of composeWith(catalog, subject).problems) problems.add(problem);
  }
  return [...problems];
}

/** The regression plan of a prompt change, before saving (with the problems that block it). */
export function planPromptChange(workspace: Workspace, change: PromptChangeInput): RegressionPlanView {
  const { catalog, version } = catalogAfter(workspace, change);
  const problems = problemsAfter(workspace, catalog, change);
  return planChange(workspace, { kind: change.kind, name: change.kind === 'variant' ? change.name : change.key, version }, { problems });
}

/**
 * Saves a prompt change as a new version with the operator's note (a fix attempt). A change
 * whose composed prompt would be invalid is refused, naming each problem; nothing is written.
 */
export function savePromptChange(workspace: Workspace, change: PromptChangeInput, note: string): { version: number; plan: RegressionPlanView } {
  const { catalog } = catalogAfter(workspace, change);
  const problems = problemsAfter(workspace, catalog, change);
  const name = change.kind === 'variant' ? change.name : change.key;
  if (problems.length > 0) throw new InputError(`${change.kind} ${name}: the prompt would be invalid: ${problems.join('; ')}`, problems);
  const prompts = new PromptRepository(workspace.db);
  const version =
    change.kind === 'variant' ? prompts.saveVariant(change.name, change.text, note) : prompts.saveComponent(workspace.fleet.task(), change.key, change.text, note);
  return { version, plan: planChange(workspace, { kind: change.kind, name, version }) };
}
