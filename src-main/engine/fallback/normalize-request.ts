import type { ModelConfig, ProviderLimits } from '../../../src-shared/domain';

export interface NormalizedParameters {
  model: string;
  maxTokens: number;
  temperature: number;
  stop: string[] | undefined;
  /** What had to change to fit the provider, for the record. */
  adjustments: string[];
}

/**
 * Fits a model's request parameters to its provider's limits, so a fallback on another provider
 * is never refused for a parameter the original provider accepted.
 */
export function normalizeRequest(
  providerModelId: string,
  config: Pick<ModelConfig, 'maxTokens' | 'temperature'>,
  limits: ProviderLimits,
  stop?: string[],
): NormalizedParameters {
  const adjustments: string[] = [];
  let maxTokens = config.maxTokens;
  if (limits.maxTokens !== undefined && maxTokens > limits.maxTokens) {
    adjustments.push(`max_tokens ${maxTokens} -> ${limits.maxTokens}`);
    maxTokens = limits.maxTokens;
  }
  let temperature = config.temperature;
  if (temperature < limits.temperatureMin || temperature > limits.temperatureMax) {
    const clamped = Math.min(limits.temperatureMax, Math.max(limits.temperatureMin, temperature));
    adjustments.push(`temperature ${temperature} -> ${clamped}`);
    temperature = clamped;
  }
  let stops = stop;
  if (stops && limits.maxStopSequences !== undefined && stops.length > limits.maxStopSequences) {
    adjustments.push(`stop sequences ${stops.length} -> ${limits.maxStopSequences}`);
    stops = stops.slice(0, limits.maxStopSequences);
  }
  let model = providerModelId;
  if (limits.modelIdFormat === 'lowercase' && model !== model.toLowerCase()) {
    adjustments.push(`model id ${model} -> ${model.toLowerCase()}`);
    model = model.toLowerCase();
  }
  return { model, maxTokens, temperature, stop: stops && stops.length > 0 ? stops : undefined, adjustments };
}
