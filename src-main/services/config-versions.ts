import {
  FALLBACK_COST_WARN_RATIO,
  formatProblem,
  type ModelConfig,
  ModelConfigSchema,
  type Provider,
  timeoutCeilingMs,
  zodProblems,
} from '../../src-shared/domain';
import { InputError, NotFoundError } from '../../src-shared/errors';
import { checkFallbackGraph } from '../../src-shared/fallback';
import { type FieldChange, diffFields, unifiedConfigDiff } from '../../src-shared/lifecycle';
import { priceRatio } from '../../src-shared/money';
import { normalizeRequest } from '../engine/fallback/normalize-request';
import { promptProblemsFor } from './prompt-edits';
import type { Workspace } from './workspace';

export interface ConfigCheck {
  /** Block saving: over the timeout ceiling, a bad fallback, an invalid prompt. */
  problems: string[];
  /**
   * Allowed but worth a look: a fallback priced over the cost ceiling (the engine refuses it), a
   * max tokens or temperature the model's provider does not accept (the engine fits them).
   */
  warnings: string[];
}

type FallbackNodeLike = { id: string; config: { fallback: string | null } };

/**
 * What giving models new fallbacks (`changes`: model id -> fallback) would break in the fleet's
 * graph: the problems reported for a changed model, and every problem the change adds anywhere
 * else (a cycle is reported once, from its first member, and a chain grown past the depth limit
 * from the model at its head), so a choice is judged by what it introduces, not only by what is
 * reported under its own id.
 */
export function fallbackGraphProblems(
  models: readonly FallbackNodeLike[],
  changes: ReadonlyMap<string, string | null>,
): { modelId: string; message: string }[] {
  const before = new Set(
    checkFallbackGraph(
      models.map((entry) => ({ id: entry.id, fallback: entry.config.fallback })),
    ).map((problem) => problem.message),
  );
  const graph = models.map((entry) => ({
    id: entry.id,
    fallback: changes.has(entry.id) ? changes.get(entry.id)! : entry.config.fallback,
  }));
  return checkFallbackGraph(graph)
    .filter((problem) => changes.has(problem.modelId) || !before.has(problem.message))
    .map(({ modelId, message }) => ({ modelId, message }));
}

/** The fallback problems of one model's change (see fallbackGraphProblems). */
export function fallbackProblems(
  models: readonly FallbackNodeLike[],
  modelId: string,
  fallback: string | null,
): string[] {
  return fallbackGraphProblems(models, new Map([[modelId, fallback]])).map(
    (problem) => problem.message,
  );
}

/** A reason a config cannot be saved, with the config field it is about. */
export interface ConfigProblem {
  modelId: string;
  field: 'timeoutMs' | 'fallback' | 'promptVariant';
  message: string;
}

/**
 * Checks configs models would get (one or several at once, judged together), against the whole
 * fleet: the timeout ceiling (60 s, 90 s for premium models), the fallback (exists, no cycle, at
 * most 3 deep) and the prompt each would compose (the variant exists, required sections are
 * present). `config set`, the console and a model-status.json import all check with this.
 */
export function configProblems(
  workspace: Workspace,
  configs: ReadonlyMap<string, ModelConfig>,
): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [modelId, config] of configs) {
    const model = workspace.fleet.requireModel(modelId);
    const ceiling = timeoutCeilingMs(model.premium);
    if (config.timeoutMs > ceiling) {
      const rule = model.premium
        ? ' for premium models'
        : ' (90000 ms is allowed only for premium models)';
      problems.push({
        modelId,
        field: 'timeoutMs',
        message: `timeout ${config.timeoutMs} ms is over the ${ceiling} ms ceiling${rule}`,
      });
    }
  }
  const fallbacks = new Map([...configs].map(([modelId, config]) => [modelId, config.fallback]));
  for (const problem of fallbackGraphProblems(workspace.fleet.listModels(), fallbacks))
    problems.push({ ...problem, field: 'fallback' });
  for (const [modelId, config] of configs) {
    for (const message of promptProblemsFor(workspace, { id: modelId, config }))
      problems.push({ modelId, field: 'promptVariant', message });
  }
  return problems;
}

const PROBLEM_PREFIX: Record<ConfigProblem['field'], string> = {
  timeoutMs: '',
  fallback: 'fallback: ',
  promptVariant: 'prompt: ',
};

/**
 * Checks a config a model would get (configProblems), and the price of its fallback: a fallback
 * over the cost ceiling is allowed but only warned about, since the engine refuses it at call time.
 */
export function checkConfig(
  workspace: Workspace,
  modelId: string,
  config: ModelConfig,
): ConfigCheck {
  const model = workspace.fleet.requireModel(modelId);
  const problems = configProblems(workspace, new Map([[modelId, config]])).map(
    (problem) => `${PROBLEM_PREFIX[problem.field]}${problem.message}`,
  );
  const warnings: string[] = [];
  const fallback = config.fallback === null ? undefined : workspace.fleet.getModel(config.fallback);
  if (fallback) {
    const costCeiling = workspace.fleet.budget().fallbackCostCeiling;
    const ratio = priceRatio(model.pricing, fallback.pricing);
    if (ratio === undefined)
      warnings.push(
        `fallback cost ceiling cannot be checked: ${model.pricing === null ? model.id : fallback.id} is unpriced`,
      );
    else if (ratio > costCeiling)
      warnings.push(
        `fallback "${fallback.id}" costs ${ratio.toFixed(1)}x "${model.id}", over the ${costCeiling}x ceiling: the engine will refuse it`,
      );
    else if (ratio > FALLBACK_COST_WARN_RATIO)
      warnings.push(
        `fallback "${fallback.id}" costs ${ratio.toFixed(1)}x "${model.id}" (above ${FALLBACK_COST_WARN_RATIO}x)`,
      );
  }
  const provider = workspace.fleet.getProvider(model.provider);
  if (provider) warnings.push(...providerLimitWarnings(provider, model.providerModelId, config));
  return { problems, warnings };
}

/**
 * What the engine will change to fit the model's own provider (normalizeRequest, at call time):
 * said at check and save, so a config that cannot be sent as written is not a surprise later.
 */
function providerLimitWarnings(provider: Provider, providerModelId: string, config: ModelConfig): string[] {
  const fitted = normalizeRequest(providerModelId, config, provider.limits);
  const warnings: string[] = [];
  if (fitted.maxTokens !== config.maxTokens)
    warnings.push(
      `maxTokens ${config.maxTokens} is more than provider "${provider.id}" accepts: calls send max_tokens ${fitted.maxTokens}`,
    );
  if (fitted.temperature !== config.temperature)
    warnings.push(
      `temperature ${config.temperature} is outside provider "${provider.id}"'s range ${provider.limits.temperatureMin}–${provider.limits.temperatureMax}: calls send ${fitted.temperature}`,
    );
  return warnings;
}

/**
 * Saves a config as a new immutable version with the operator's note (a fix attempt). Refused,
 * with every problem named, when the config does not pass checkConfig. Saving the current config
 * again writes nothing and answers the current version.
 */
export function saveModelConfig(
  workspace: Workspace,
  modelId: string,
  config: ModelConfig,
  note: string,
): number {
  return saveModelConfigWithWarnings(workspace, modelId, config, note).version;
}

/** saveModelConfig, answering also what its check warned of (the console and `config set` say it). */
export function saveModelConfigWithWarnings(
  workspace: Workspace,
  modelId: string,
  config: ModelConfig,
  note: string,
): { version: number; warnings: string[] } {
  const { parsed, warnings } = checkedConfig(workspace, modelId, config);
  const trimmed = note.trim();
  if (trimmed === '') throw new InputError('a note is required: say what this fix attempt tries');
  return { version: workspace.fleet.saveConfig(modelId, parsed, trimmed), warnings };
}

/**
 * A config as the schema reads it, with what its check warned of; refused with every problem
 * named unless checkConfig passes it.
 */
function checkedConfig(workspace: Workspace, modelId: string, config: ModelConfig): { parsed: ModelConfig; warnings: string[] } {
  const shape = ModelConfigSchema.safeParse(config, { reportInput: true });
  if (!shape.success) {
    const problems = zodProblems(shape.error).map(formatProblem);
    throw new InputError(`config for ${modelId} refused: ${problems.join('; ')}`, problems);
  }
  const parsed = shape.data;
  const check = checkConfig(workspace, modelId, parsed);
  if (check.problems.length > 0)
    throw new InputError(
      `config for ${modelId} refused: ${check.problems.join('; ')}`,
      check.problems,
    );
  return { parsed, warnings: check.warnings };
}

/**
 * A draft config to try without making it the model's config: checked as a save is, then stored
 * as a version that is not current, so the calls that try it are stamped with a version of their
 * own. Trying the same draft again reuses its version. The draft that is already the current
 * config is refused: there is nothing to try beside it.
 */
export function trialConfigVersion(
  workspace: Workspace,
  modelId: string,
  config: ModelConfig,
  from: 'the console' | 'the CLI' = 'the console',
): { current: number; trial: number; created: boolean } {
  const { parsed } = checkedConfig(workspace, modelId, config);
  const current = workspace.fleet.requireModel(modelId).configVersion;
  const stored = workspace.fleet.storeUncurrentVersion(
    modelId,
    parsed,
    `trial from ${from} (not made current; v${current} was current)`,
  );
  if (stored.version === current) {
    throw new InputError(
      `the draft is v${current}, ${modelId}'s current config: change something to try it beside v${current}, or run a canary`,
    );
  }
  return { current, trial: stored.version, created: stored.created };
}

export interface ConfigDiff {
  from: number;
  to: number;
  unified: string;
  changes: FieldChange[];
}

/** Any two config versions of a model, field by field and as a unified diff. */
export function diffConfigVersions(
  workspace: Workspace,
  modelId: string,
  from: number,
  to: number,
): ConfigDiff {
  const history = workspace.fleet.configHistory(modelId);
  if (history.length === 0) throw new NotFoundError(`unknown model "${modelId}"`);
  const version = (number: number) => {
    const found = history.find((entry) => entry.version === number);
    if (!found)
      throw new NotFoundError(
        `${modelId} has no config v${number} (latest v${history.at(-1)!.version})`,
      );
    return found.config as Record<string, unknown>;
  };
  const before = version(from);
  const after = version(to);
  return {
    from,
    to,
    unified: unifiedConfigDiff(before, after, {
      from: `${modelId} v${from}`,
      to: `${modelId} v${to}`,
    }),
    changes: diffFields(before, after),
  };
}

/**
 * Rollback: a new version equal to an old one (history is never rewritten), checked like any save,
 * so a rollback to a config whose fallback no longer exists is refused.
 */
export function rollbackConfig(
  workspace: Workspace,
  modelId: string,
  toVersion: number,
  note?: string,
): number {
  const model = workspace.fleet.requireModel(modelId);
  const target = workspace.fleet.getConfigVersion(modelId, toVersion);
  if (!target) throw new NotFoundError(`${modelId} has no config v${toVersion}`);
  return saveModelConfig(
    workspace,
    modelId,
    target.config,
    note?.trim() || `rollback from v${model.configVersion} to v${toVersion}`,
  );
}
