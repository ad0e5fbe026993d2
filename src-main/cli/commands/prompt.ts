import { NotFoundError } from '../../../src-shared/errors';
import { BUILTIN_VARIANTS, composePrompt, resolveVariant } from '../../../src-shared/prompts';
import { groupFixtures } from '../../../src-shared/tasks';
import { openWorkspace, workspaceExists } from '../../services/workspace';
import { PromptRepository } from '../../store';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { loadTaskOrUsage } from './parse';

/**
 * Prints the prompt a model would be sent: the workspace task's components, the model's variant
 * and its own override, with the user prompt filled from one fixture (or its batch group).
 */
export async function runPromptShow(
  options: { model: string; fixture?: string; json?: boolean },
  context: CliContext,
): Promise<number> {
  if (!workspaceExists(context.dataDir)) {
    throw new UsageError(
      `no workspace in ${context.dataDir}: run "fleetdeck init" or "fleetdeck fleet import FILE" first`,
    );
  }
  const workspace = openWorkspace(context.dataDir);
  try {
    let model: ReturnType<typeof workspace.fleet.requireModel>;
    try {
      model = workspace.fleet.requireModel(options.model);
    } catch (error) {
      if (error instanceof NotFoundError)
        throw new UsageError(`unknown model "${options.model}" (model ids match exactly)`);
      throw error;
    }
    const taskId = workspace.fleet.task();
    const task = loadTaskOrUsage(taskId);
    const groups = groupFixtures(task, task.fixtures);
    const fixtures =
      options.fixture === undefined
        ? groups[0]
        : groups.find((group) => group.some((fixture) => fixture.id === options.fixture));
    if (!fixtures) throw new UsageError(`unknown fixture "${options.fixture}" in task "${taskId}"`);

    const prompts = new PromptRepository(workspace.db);
    const variant = resolveVariant(
      model.config.promptVariant,
      BUILTIN_VARIANTS,
      prompts.listCustomVariants(),
    );
    if (!variant) {
      context.stderr.write(
        `fleetdeck: model "${model.id}" uses prompt variant "${model.config.promptVariant}", which does not exist\n`,
      );
      return EXIT.checkFailed;
    }
    const componentVersions: Record<string, number> = {};
    for (const component of task.components) {
      const version = prompts.componentVersionOf(taskId, component.key, component.text);
      if (version !== undefined) componentVersions[component.key] = version;
    }
    const prompt = composePrompt({
      task,
      variant,
      override: { modelId: model.id, text: model.config.promptOverride },
      fixtures,
      componentVersions,
    });

    if (options.json) {
      writeJson(context.stdout, {
        model: model.id,
        task: taskId,
        variant: { name: variant.name, version: variant.version },
        fixtures: fixtures.map((fixture) => fixture.id),
        system: prompt.system,
        user: prompt.user,
        sections: prompt.sections,
        problems: prompt.problems,
      });
    } else {
      const out = context.stdout;
      out.write(`# ${model.id}: task ${taskId}, variant ${variant.name} v${variant.version}\n`);
      out.write(`# sections: ${prompt.sections.map(describeSection).join(', ')}\n\n`);
      out.write(`--- system ---\n${prompt.system}\n\n--- user ---\n${prompt.user}\n`);
    }
    for (const problem of prompt.problems)
      context.stderr.write(`fleetdeck: prompt problem: ${problem}\n`);
    return prompt.problems.length > 0 ? EXIT.checkFailed : EXIT.ok;
  } finally {
    workspace.close();
  }
}

function describeSection(section: {
  kind: string;
  name: string;
  version: number | undefined;
}): string {
  const version = section.version === undefined ? '' : ` v${section.version}`;
  return section.kind === 'component'
    ? `${section.name}${version}`
    : `${section.kind} ${section.name}${version}`;
}
