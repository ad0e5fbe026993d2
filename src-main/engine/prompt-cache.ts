import { composePrompt, type PromptVariant } from '../../src-shared/prompts';
import { fillTemplate } from '../../src-shared/tasks';
import type { StoredModel } from '../store';
import type { RunContext, WorkItem } from './types';

/** Composed prompt parts, kept per run for as long as the run's context lives. */
export class PromptCache {
  private readonly prompts = new WeakMap<
    RunContext,
    { system: Map<string, string>; user: Map<string, string> }
  >();

  /**
   * The composed prompt for one item. The system part depends only on the task, the variant and
   * the model's override, so it is composed (and validated) once per run and model; the user part
   * depends only on the fixtures, so it is filled once per run and fixture group.
   */
  compose(
    context: RunContext,
    model: StoredModel,
    variant: PromptVariant,
    item: WorkItem,
  ): { system: string; user: string } {
    let cache = this.prompts.get(context);
    if (!cache) {
      cache = { system: new Map(), user: new Map() };
      this.prompts.set(context, cache);
    }
    // Keyed by fixture ids: unique within the run's task pack, whose fixtures every item draws on.
    const fixtures =
      item.fixtures.length === 1
        ? item.fixtures[0]!.id
        : item.fixtures.map((fixture) => fixture.id).join('\u0000');
    let user = cache.user.get(fixtures);
    if (user === undefined) {
      user = fillTemplate(context.task, item.fixtures).trim();
      cache.user.set(fixtures, user);
    }
    const key = `${model.id}\u0000${variant.name}\u0000${variant.version}\u0000${model.config.promptOverride ?? ''}`;
    const cached = cache.system.get(key);
    if (cached !== undefined) return { system: cached, user };
    const composed = composePrompt({
      task: context.task,
      variant,
      override: { modelId: model.id, text: model.config.promptOverride },
      fixtures: item.fixtures,
      componentVersions: context.componentVersions,
    });
    cache.system.set(key, composed.system);
    return composed;
  }
}
