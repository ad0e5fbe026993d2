import {
  MAX_MAX_TOKENS,
  MAX_TEMPERATURE,
  MIN_TIMEOUT_MS,
  timeoutCeilingMs,
} from '../../src-shared/domain/limits';
import type { ModelConfig } from '../../src-shared/domain/model-config';
import type { ModelDetailView } from '../../src-shared/ipc';

/** A number field's text as the config holds it: a blank field is no number (NaN), never 0. */
export function numberFromField(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}

/** A number as its field shows it: no number shows as a blank field. */
export function fieldFromNumber(value: number | undefined): number | '' {
  return value === undefined || Number.isNaN(value) ? '' : value;
}

const wholeIn = (value: number, min: number, max = Number.POSITIVE_INFINITY) =>
  Number.isInteger(value) && value >= min && value <= max;

/**
 * What the config form can say before asking main: numbers in their ranges (a field left blank
 * is named, never saved as 0), the timeout ceiling and the fallback picker's rules (main's
 * model.checkConfig stays the authority and adds the regression plan).
 */
export function localConfigProblems(
  detail: Pick<ModelDetailView, 'row' | 'fallbackOptions'>,
  config: ModelConfig,
): string[] {
  const problems: string[] = [];
  const ceiling = timeoutCeilingMs(detail.row.premium);
  if (!wholeIn(config.timeoutMs, MIN_TIMEOUT_MS)) {
    problems.push(
      `timeoutMs: enter a whole number of milliseconds, from ${MIN_TIMEOUT_MS} to ${ceiling}`,
    );
  } else if (config.timeoutMs > ceiling) {
    problems.push(
      `timeoutMs: ${config.timeoutMs / 1000} s is over the ${ceiling / 1000} s ceiling for ${detail.row.premium ? 'premium' : 'standard'} models`,
    );
  }
  const firstToken = config.firstTokenTimeoutMs;
  if (firstToken !== undefined && !wholeIn(firstToken, MIN_TIMEOUT_MS)) {
    problems.push(
      `firstTokenTimeoutMs: enter a whole number of milliseconds, at least ${MIN_TIMEOUT_MS} (or leave it empty for the default)`,
    );
  } else if (firstToken !== undefined && firstToken > config.timeoutMs) {
    problems.push(
      `firstTokenTimeoutMs: ${firstToken / 1000} s is over the call's timeout of ${config.timeoutMs / 1000} s`,
    );
  }
  if (!wholeIn(config.maxTokens, 1, MAX_MAX_TOKENS)) {
    problems.push(`maxTokens: enter a whole number of tokens, from 1 to ${MAX_MAX_TOKENS}`);
  }
  if (!(config.temperature >= 0 && config.temperature <= MAX_TEMPERATURE)) {
    problems.push(`temperature: enter a number from 0 to ${MAX_TEMPERATURE}`);
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
