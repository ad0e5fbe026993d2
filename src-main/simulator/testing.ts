import type { SimulatorProfilesInput } from './profile-schema';

/**
 * Helpers for tests that talk to the simulator (ours and the engine's): prompts in the line format
 * the simulated models read, and a small two-provider profile set.
 */
export function matchLine(
  home: string,
  homeStrength: number,
  away: string,
  awayStrength: number,
  matchId?: string,
): string {
  const line = `${home} (strength ${homeStrength}) vs ${away} (strength ${awayStrength})`;
  return matchId === undefined ? line : `[${matchId}] ${line}`;
}

export interface ChatBodyOptions {
  system?: string;
  user?: string;
  stream?: boolean;
  includeUsage?: boolean;
  maxTokens?: number;
}

export function chatBody(model: string, options: ChatBodyOptions = {}): Record<string, unknown> {
  const body: Record<string, unknown> = {
    model,
    messages: [
      { role: 'system', content: options.system ?? 'You predict football scores.' },
      {
        role: 'user',
        content:
          options.user ?? `Predict the score.\n${matchLine('Arsenal', 88, 'Ipswich Town', 55)}`,
      },
    ],
  };
  if (options.stream) body.stream = true;
  if (options.includeUsage) body.stream_options = { include_usage: true };
  if (options.maxTokens !== undefined) body.max_tokens = options.maxTokens;
  return body;
}

export function postChat(
  baseUrl: string,
  body: Record<string, unknown>,
  init: { key?: string; signal?: AbortSignal } = {},
): Promise<Response> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (init.key !== undefined) headers.authorization = `Bearer ${init.key}`;
  return fetch(`${baseUrl}/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify(body),
    ...(init.signal ? { signal: init.signal } : {}),
  });
}

/** Two providers, three models: a clean one on each provider and a reasoning one. */
export const TEST_PROFILES: SimulatorProfilesInput = {
  version: 1,
  models: {
    'alpha/clean-70b': { provider: 'sim-a', style: 'clean' },
    'alpha/thinker': {
      provider: 'sim-a',
      style: 'reasoning-field',
      reasoning: { tokens: 40, spread: 10 },
    },
    'beta/clean-8b': { provider: 'sim-b', style: 'clean', skill: 'fair' },
  },
};
