import { NotFoundError } from '../../../src-shared/errors';
import { type ComposedForModel, composeForModel } from '../../services/prompt-edits';
import { openWorkspace, workspaceExists } from '../../services/workspace';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';

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
    let prompt: ComposedForModel;
    try {
      // The same composition the engine and the console use: stored component and variant versions.
      prompt = composeForModel(workspace, model.id, options.fixture);
    } catch (error) {
      if (error instanceof NotFoundError) throw new UsageError(error.message);
      throw error;
    }
    if (!prompt.variant) {
      context.stderr.write(
        `fleetdeck: model "${model.id}" uses prompt variant "${model.config.promptVariant}", which does not exist\n`,
      );
      return EXIT.checkFailed;
    }
    if (options.json) {
      writeJson(context.stdout, {
        model: model.id,
        task: prompt.task,
        variant: prompt.variant,
        fixtures: prompt.fixtureIds,
        system: prompt.system,
        user: prompt.user,
        sections: prompt.sections,
        problems: prompt.problems,
      });
    } else {
      const out = context.stdout;
      out.write(`# ${model.id}: task ${prompt.task}, variant ${prompt.variant.name} v${prompt.variant.version}\n`);
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

function describeSection(section: { kind: string; name: string; version: number | null }): string {
  const version = section.version === null ? '' : ` v${section.version}`;
  return section.kind === 'component'
    ? `${section.name}${version}`
    : `${section.kind} ${section.name}${version}`;
}
