import type { z } from 'zod';
import type { Provider } from '../../../src-shared/domain';
import {
  DEFAULT_AUTO_DISABLE_AFTER,
  MAX_FALLBACK_DEPTH,
  PREMIUM_TIMEOUT_CEILING_MS,
  TIMEOUT_CEILING_MS,
} from '../../../src-shared/domain/limits';
import { InputError, NotFoundError } from '../../../src-shared/errors';
import { DEFAULT_CLEAN_CANARIES } from '../../../src-shared/lifecycle';
import type { KeyState } from '../../../src-shared/ipc';
import { budgetWarnings, usdToMicros } from '../../../src-shared/money';
import { maskKey } from '../keys';
import type { Handler, HandlerDeps } from '../types';

type KeyView = z.infer<typeof KeyState>;

/** Where a provider's key comes from, masked; the key itself never leaves main. */
export function keyState(provider: Provider, { host, keys }: HandlerDeps): KeyView {
  if (provider.simulated) return { source: 'not-needed', masked: null };
  if (keys.has(provider.id))
    return {
      source: keys.kind === 'os-keychain' ? 'keychain' : 'session',
      masked: keys.masked(provider.id),
    };
  const fromEnv = host.endpoint(provider).apiKey;
  if (fromEnv) return { source: 'env', masked: maskKey(fromEnv) };
  return { source: 'none', masked: null };
}

export const getSettings: Handler<'settings.get'> = async (_input, deps) => {
  const { host, keys } = deps;
  return {
    dataDir: host.workspace.dataDir,
    providers: host.workspace.fleet
      .listProviders()
      .map((provider) => ({ provider, key: keyState(provider, deps) })),
    budget: host.workspace.fleet.budget(),
    thresholds: {
      autoDisableAfter: DEFAULT_AUTO_DISABLE_AFTER,
      workingAfterCleanCanaries: DEFAULT_CLEAN_CANARIES,
      timeoutCeilingMs: TIMEOUT_CEILING_MS,
      premiumTimeoutCeilingMs: PREMIUM_TIMEOUT_CEILING_MS,
      maxFallbackDepth: MAX_FALLBACK_DEPTH,
    },
    keyStorage: keys.kind,
    keyStoragePlainTextOnly: keys.plainTextOnly(),
  };
};

export const saveBudget: Handler<'settings.saveBudget'> = async (input, { host }) => {
  host.workspace.fleet.setSetting('budget', input.budget);
  host.ledger.setDailyCap(usdToMicros(input.budget.dailyUsd));
  const warnings = budgetWarnings(input.budget, host.ledger.spendToday()).map(
    (warning) => warning.message,
  );
  return warnings.length > 0 ? { ok: true, warnings } : { ok: true };
};

export const saveProvider: Handler<'settings.saveProvider'> = async (input, { host, emit }) => {
  if (input.provider.simulated && !host.simulator) {
    throw new InputError(
      'simulated providers need the built-in simulator, which starts with a workspace that has simulated providers: restart the console after importing one',
    );
  }
  host.workspace.fleet.upsertProvider(input.provider);
  const affected = host.workspace.fleet
    .listModels()
    .filter((model) => model.provider === input.provider.id);
  if (affected.length > 0) emit('fleet.changed', { modelIds: affected.map((model) => model.id) });
  return { ok: true };
};

function requireProvider(deps: HandlerDeps, providerId: string): Provider {
  const provider = deps.host.workspace.fleet.getProvider(providerId);
  if (!provider) throw new NotFoundError(`no provider ${providerId}`);
  return provider;
}

/** Stores a key (encrypted by the OS keychain, or for this session); answers only its mask. */
export const setKey: Handler<'settings.setKey'> = async (input, deps) => {
  const provider = requireProvider(deps, input.providerId);
  if (provider.simulated) throw new InputError(`${provider.id} is simulated: it needs no key`);
  const key = input.key.trim();
  if (key.length === 0 || /\s/.test(key))
    throw new InputError('a key is one word without spaces', [
      'key: a key is one word without spaces',
    ]);
  // Redacted from records and logs before the key is ever sent.
  deps.host.addSecret(key);
  await deps.keys.set(provider.id, key, { allowPlainText: input.allowPlainText });
  return keyState(provider, deps);
};

export const clearKey: Handler<'settings.clearKey'> = async (input, deps) => {
  requireProvider(deps, input.providerId);
  await deps.keys.clear(input.providerId);
  return { ok: true };
};
