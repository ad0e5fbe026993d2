import { timeoutCeilingMs } from '../../src-shared/domain/limits';
import type { ModelConfig } from '../../src-shared/domain/model-config';
import type { ModelDetailView } from '../../src-shared/ipc';

/**
 * What the config form can say before asking main: the timeout ceiling and the fallback picker's
 * rules (main's model.checkConfig stays the authority and adds the regression plan).
 */
export function localConfigProblems(
  detail: Pick<ModelDetailView, 'row' | 'fallbackOptions'>,
  config: ModelConfig,
): string[] {
  const problems: string[] = [];
  const ceiling = timeoutCeilingMs(detail.row.premium);
  if (config.timeoutMs > ceiling) {
    problems.push(
      `timeoutMs: ${config.timeoutMs / 1000} s is over the ${ceiling / 1000} s ceiling for ${detail.row.premium ? 'premium' : 'standard'} models`,
    );
  }
  if (config.firstTokenTimeoutMs !== undefined && config.firstTokenTimeoutMs > config.timeoutMs) {
    problems.push(
      `firstTokenTimeoutMs: ${config.firstTokenTimeoutMs / 1000} s is over the call's timeout of ${config.timeoutMs / 1000} s`,
    );
  }
  if (config.fallback !== null) {
    if (config.fallback === detail.row.id)
      problems.push('fallback: a model cannot fall back to itself');
    const option = detail.fallbackOptions.find((candidate) => candidate.id === config.fallback);
    if (option === undefined && config.fallback !== detail.row.id)
      problems.push(`fallback: ${config.fallback} is not a model of this fleet`);
    else if (option && !option.allowed)
      problems.push(`fallback: ${config.fallback} is refused — ${option.why ?? 'not allowed'}`);
  }
  return problems;
}

/** The config as the JSON the diff shows: keys in a fixed order so diffs stay small. */
export function configText(config: ModelConfig): string {
  const ordered = {
    promptVariant: config.promptVariant,
    promptOverride: config.promptOverride,
    timeoutMs: config.timeoutMs,
    // Left out of the JSON when unset (the engine then uses its default).
    firstTokenTimeoutMs: config.firstTokenTimeoutMs,
    responseHandler: config.responseHandler,
    fallback: config.fallback,
    stream: config.stream,
    maxTokens: config.maxTokens,
    temperature: config.temperature,
  };
  return JSON.stringify(ordered, null, 2);
}
