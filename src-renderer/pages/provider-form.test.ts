import { describe, expect, it } from 'vitest';
import { type Provider, ProviderSchema } from '../../src-shared/domain/provider';
import type { UiError } from '../state';
import {
  EMPTY_PROVIDER_FORM,
  needsPlainTextConsent,
  problemsByField,
  providerForm,
  providerFromForm,
} from './provider-form';

const simulated: Provider = ProviderSchema.parse({
  id: 'sim-together',
  baseUrl: 'http://127.0.0.1/sim-together/v1',
  simulated: true,
  maxConcurrency: 8,
  rpm: 600,
  limits: { maxTokens: 8192 },
});

const invalid = (message: string, problems: string[] = []): UiError => ({
  code: 'invalid_input',
  message,
  problems,
  hint: '',
});

describe('providerFromForm', () => {
  it('builds a new provider, leaving empty optional boxes unset', () => {
    const result = providerFromForm({
      ...EMPTY_PROVIDER_FORM,
      id: ' acme ',
      baseUrl: 'https://api.acme.test/v1',
      apiKeyEnv: 'ACME_API_KEY',
      rpm: '120',
    });
    expect(result).toEqual({
      problems: null,
      provider: ProviderSchema.parse({
        id: 'acme',
        baseUrl: 'https://api.acme.test/v1',
        apiKeyEnv: 'ACME_API_KEY',
        maxConcurrency: 8,
        rpm: 120,
      }),
    });
  });

  it('keeps what the form does not show when editing, and removes a cleared limit', () => {
    const result = providerFromForm(
      { ...providerForm(simulated), maxConcurrency: '4', rpm: '' },
      { existing: simulated },
    );
    const { rpm: _rpm, ...withoutRpm } = simulated;
    expect(result).toEqual({ problems: null, provider: { ...withoutRpm, maxConcurrency: 4 } });
  });

  it('names every refused field in words, before anything is sent', () => {
    const result = providerFromForm(
      {
        id: 'Acme Corp',
        baseUrl: 'api.acme.test',
        apiKeyEnv: 'acme-key',
        maxConcurrency: '0',
        rpm: '1.5',
        tpm: 'lots',
      },
      { takenIds: ['sim-together'] },
    );
    expect(result).toEqual({
      provider: null,
      problems: {
        id: 'lowercase letters, digits, ".", "_" or "-", at most 64',
        baseUrl: 'an http(s) URL including /v1, such as https://api.together.xyz/v1',
        apiKeyEnv: 'an environment variable name such as TOGETHER_API_KEY',
        maxConcurrency: 'a whole number above 0',
        rpm: 'a whole number above 0',
        tpm: 'a whole number above 0',
      },
    });
  });

  it('refuses to add a provider over an existing one', () => {
    const result = providerFromForm(
      { ...providerForm(simulated), maxConcurrency: '2' },
      { takenIds: ['sim-together'] },
    );
    expect(result.problems).toEqual({
      id: 'sim-together already exists: edit it in the list instead',
    });
  });
});

describe('problemsByField', () => {
  it("puts main's problems beside the fields they name and keeps the rest", () => {
    expect(
      problemsByField(
        invalid('invalid input for settings.saveProvider', [
          'provider.baseUrl: Invalid URL',
          'provider.limits.maxTokens: Too small',
          'input: Unrecognized key',
        ]),
      ),
    ).toEqual({
      fields: { baseUrl: 'Invalid URL' },
      other: ['provider.limits.maxTokens: Too small', 'input: Unrecognized key'],
    });
    expect(problemsByField(null)).toEqual({ fields: {}, other: [] });
  });
});

describe('needsPlainTextConsent', () => {
  it("recognises main's basic_text refusal and nothing else", () => {
    expect(
      needsPlainTextConsent(
        invalid(
          'no OS keyring was found (Electron reports the "basic_text" backend), so the key would be stored readable by anyone with your files; allow plain-text storage to store it anyway',
        ),
      ),
    ).toBe(true);
    expect(needsPlainTextConsent(invalid('refused', ['allowPlainText: required here']))).toBe(true);
    expect(needsPlainTextConsent(invalid('a key is one word without spaces'))).toBe(false);
    expect(needsPlainTextConsent({ ...invalid('basic_text'), code: 'internal' })).toBe(false);
    expect(needsPlainTextConsent(null)).toBe(false);
  });
});
