import { type Provider, ProviderSchema } from '../../src-shared/domain/provider';
import type { UiError } from '../state';

/** The fields of the provider form, as typed (numbers too: an empty box means "not set"). */
export interface ProviderForm {
  id: string;
  baseUrl: string;
  apiKeyEnv: string;
  maxConcurrency: string;
  rpm: string;
  tpm: string;
}
export type ProviderField = keyof ProviderForm;
export const PROVIDER_FIELDS: readonly ProviderField[] = [
  'id',
  'baseUrl',
  'apiKeyEnv',
  'maxConcurrency',
  'rpm',
  'tpm',
];
export type FieldProblems = Partial<Record<ProviderField, string>>;

const MAX_CONCURRENCY = 1000;

export const EMPTY_PROVIDER_FORM: ProviderForm = {
  id: '',
  baseUrl: '',
  apiKeyEnv: '',
  maxConcurrency: '8',
  rpm: '',
  tpm: '',
};

export function providerForm(provider: Provider): ProviderForm {
  return {
    id: provider.id,
    baseUrl: provider.baseUrl,
    apiKeyEnv: provider.apiKeyEnv ?? '',
    maxConcurrency: String(provider.maxConcurrency),
    rpm: provider.rpm === undefined ? '' : String(provider.rpm),
    tpm: provider.tpm === undefined ? '' : String(provider.tpm),
  };
}

/** A whole number from 1 to `max`, or a sentence saying what the box needs. */
function wholeNumber(text: string, max?: number): number | string {
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < 1)
    return 'a whole number above 0';
  if (max !== undefined && value > max) return `at most ${max}`;
  return value;
}

/** Clearer words than zod's for the fields an operator types. */
const HINTS: Partial<Record<ProviderField, string>> = {
  baseUrl: 'an http(s) URL including /v1, such as https://api.together.xyz/v1',
};

/**
 * The provider to save from the form: an edit keeps every field the form does not show (limits,
 * response-format support, simulated); an empty optional box removes that setting. Checked with
 * the contract's own schema, so what it refuses is shown by its field before anything is sent.
 */
export function providerFromForm(
  form: ProviderForm,
  options: { existing?: Provider | undefined; takenIds?: readonly string[] } = {},
): { provider: Provider; problems: null } | { provider: null; problems: FieldProblems } {
  const problems: FieldProblems = {};
  const id = form.id.trim();
  if (!options.existing && options.takenIds?.includes(id))
    problems.id = `${id} already exists: edit it in the list instead`;
  const numbers: Partial<Record<'maxConcurrency' | 'rpm' | 'tpm', number>> = {};
  for (const field of ['maxConcurrency', 'rpm', 'tpm'] as const) {
    const text = form[field].trim();
    if (text === '') {
      if (field === 'maxConcurrency') problems[field] = 'how many calls may run at once';
      continue;
    }
    const value = wholeNumber(text, field === 'maxConcurrency' ? MAX_CONCURRENCY : undefined);
    if (typeof value === 'string') problems[field] = value;
    else numbers[field] = value;
  }
  const {
    apiKeyEnv: _apiKeyEnv,
    rpm: _rpm,
    tpm: _tpm,
    ...kept
  }: Partial<Provider> = options.existing ?? {};
  const apiKeyEnv = form.apiKeyEnv.trim();
  const candidate = {
    ...kept,
    id,
    baseUrl: form.baseUrl.trim(),
    ...(apiKeyEnv === '' ? {} : { apiKeyEnv }),
    ...numbers,
  };
  const parsed = ProviderSchema.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = issue.path[0];
      if (typeof field === 'string' && isField(field) && problems[field] === undefined)
        problems[field] = HINTS[field] ?? issue.message;
    }
  }
  if (Object.keys(problems).length > 0 || !parsed.success) return { provider: null, problems };
  return { provider: parsed.data, problems: null };
}

function isField(name: string): name is ProviderField {
  return (PROVIDER_FIELDS as readonly string[]).includes(name);
}

/**
 * Splits what main refused ("provider.baseUrl: Invalid URL") into the fields it names, to show
 * beside them, and the rest, to show above the buttons.
 */
export function problemsByField(error: UiError | null): { fields: FieldProblems; other: string[] } {
  const fields: FieldProblems = {};
  const other: string[] = [];
  for (const problem of error?.problems ?? []) {
    const match = /^(?:provider\.)?([A-Za-z]+)(?:\.[^:]*)?: (.+)$/.exec(problem);
    const field = match?.[1];
    if (match && field && isField(field) && fields[field] === undefined)
      fields[field] = match[2] ?? problem;
    else other.push(problem);
  }
  return { fields, other };
}

/**
 * Whether main refused a key because the OS offers no real encryption (Electron's `basic_text`
 * backend) and wants the operator's explicit consent to store it readable.
 */
export function needsPlainTextConsent(error: UiError | null): boolean {
  if (error?.code !== 'invalid_input') return false;
  return (
    error.problems.some((problem) => problem.startsWith('allowPlainText:')) ||
    /basic_text|plain-text storage/i.test(error.message)
  );
}
