import type { Provider } from '../../src-shared/domain';
import type { StoredModel } from '../store';
import type { NormalizedParameters } from './fallback';
import type { ChatRequestBody } from './http';

/** The chat request a model is sent for one item: the same body for each of its attempts. */
export function buildChatBody(
  model: StoredModel,
  provider: Provider,
  parameters: NormalizedParameters,
  prompt: { system: string; user: string },
): ChatRequestBody {
  const body: ChatRequestBody = {
    model: parameters.model,
    messages: [
      { role: 'system', content: prompt.system },
      { role: 'user', content: prompt.user },
    ],
    max_tokens: parameters.maxTokens,
    temperature: parameters.temperature,
    stream: model.config.stream,
  };
  if (model.config.stream) body.stream_options = { include_usage: true };
  if (provider.supportsResponseFormat) body.response_format = { type: 'json_object' };
  return body;
}
