import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { Provider } from '../../src-shared/domain/provider';
import { EmptyState } from '../components/empty-state';
import { InlineError } from '../components/inline-error';
import { useAsyncAction } from '../components/use-async-action';
import { useActions, useApp } from '../state';
import type { Settings } from '../state/settings-slice';
import {
  EMPTY_PROVIDER_FORM,
  type FieldProblems,
  needsPlainTextConsent,
  PROVIDER_FIELDS,
  type ProviderField,
  type ProviderForm,
  problemsByField,
  providerForm,
  providerFromForm,
} from './provider-form';

type ProviderEntry = Settings['providers'][number];

const LABELS: Record<ProviderField, { label: string; placeholder?: string; help?: string }> = {
  id: { label: 'Id', placeholder: 'together', help: 'Models name their provider by this id' },
  baseUrl: { label: 'Base URL', placeholder: 'https://api.together.xyz/v1' },
  apiKeyEnv: {
    label: 'Key env variable (optional)',
    placeholder: 'TOGETHER_API_KEY',
    help: 'The environment variable the CLI reads the key from',
  },
  maxConcurrency: { label: 'Calls at once' },
  rpm: { label: 'Requests per minute (optional)', placeholder: 'no limit' },
  tpm: { label: 'Tokens per minute (optional)', placeholder: 'no limit' },
};

const NUMERIC: readonly ProviderField[] = ['maxConcurrency', 'rpm', 'tpm'];

const PLAIN_TEXT_HINT =
  'Tick "Allow plain-text storage" and save again, or set the key environment variable of this provider instead.';

function limitsText(provider: Provider): string {
  return [
    `${provider.maxConcurrency} at once`,
    provider.rpm === undefined ? 'no rpm limit' : `${provider.rpm.toLocaleString('en-US')} rpm`,
    provider.tpm === undefined ? 'no tpm limit' : `${provider.tpm.toLocaleString('en-US')} tpm`,
  ].join(' · ');
}

/**
 * Adds a provider or edits one. What the contract's schema refuses is shown beside its field
 * before anything is sent; what main refuses is shown beside the field it names, else above the
 * buttons.
 */
function ProviderFormCard({
  existing,
  takenIds,
  onDone,
}: {
  existing?: Provider;
  takenIds: readonly string[];
  onDone(savedId: string | null): void;
}) {
  const { saveProvider } = useActions();
  const save = useAsyncAction(saveProvider);
  const [form, setForm] = useState<ProviderForm>(() =>
    existing ? providerForm(existing) : EMPTY_PROVIDER_FORM,
  );
  const [local, setLocal] = useState<FieldProblems>({});
  const formId = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const remote = problemsByField(save.error);
  const problems: FieldProblems = { ...remote.fields, ...local };

  useEffect(() => {
    formRef.current?.querySelector<HTMLInputElement>('input:not([disabled])')?.focus();
  }, []);

  const focusFirstProblem = (fields: FieldProblems) => {
    const first = PROVIDER_FIELDS.find((field) => fields[field] !== undefined);
    if (first) formRef.current?.querySelector<HTMLInputElement>(`[name="${first}"]`)?.focus();
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = providerFromForm(form, { existing, takenIds });
    if (result.problems) {
      setLocal(result.problems);
      save.reset();
      focusFirstProblem(result.problems);
      return;
    }
    setLocal({});
    const saved = await save.run(result.provider);
    if (saved !== null) onDone(result.provider.id);
  };

  // A simulated provider's address is the built-in simulator's, set at each launch.
  const locked = (field: ProviderField) =>
    (field === 'id' && existing !== undefined) ||
    (field === 'baseUrl' && existing?.simulated === true);
  // The simulator is never sent a key, so the usual help for the key variable would mislead.
  const help = (field: ProviderField) =>
    field === 'apiKeyEnv' && existing?.simulated === true
      ? 'Ignored: a simulated provider is never sent a key'
      : LABELS[field].help;

  return (
    <form
      ref={formRef}
      className="card stack provider-form"
      data-provider-form={existing?.id ?? 'new'}
      aria-labelledby={`${formId}-title`}
      onSubmit={(event) => void submit(event)}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onDone(null);
        }
      }}
      noValidate
    >
      <h3 id={`${formId}-title`}>
        {existing ? `Edit provider ${existing.id}` : 'Add an OpenAI-compatible provider'}
      </h3>
      <div className="form-grid">
        {PROVIDER_FIELDS.map((field) => {
          const problem = problems[field];
          const describedBy = problem ? `${formId}-${field}-problem` : undefined;
          return (
            <label key={field} className="field" title={help(field)}>
              {LABELS[field].label}
              <input
                name={field}
                data-field={`provider-${field}`}
                value={form[field]}
                placeholder={LABELS[field].placeholder}
                inputMode={NUMERIC.includes(field) ? 'numeric' : undefined}
                disabled={locked(field)}
                aria-invalid={problem !== undefined}
                aria-describedby={describedBy}
                autoComplete="off"
                spellCheck={false}
                onChange={(event) => {
                  const value = event.target.value;
                  setForm((current) => ({ ...current, [field]: value }));
                  setLocal(({ [field]: _fixed, ...rest }) => rest);
                }}
              />
              {problem ? (
                <span
                  id={describedBy}
                  className="field-problem"
                  data-field-problem={field}
                  role="alert"
                >
                  {problem}
                </span>
              ) : locked(field) && field === 'baseUrl' ? (
                <span className="small muted">served by the built-in simulator</span>
              ) : null}
            </label>
          );
        })}
      </div>
      <InlineError
        error={
          save.error && (remote.other.length > 0 || Object.keys(remote.fields).length === 0)
            ? { ...save.error, problems: remote.other }
            : null
        }
        title="The provider was not saved"
      />
      <div className="row">
        <button
          type="submit"
          className="primary"
          data-action="save-provider"
          disabled={save.pending}
        >
          {save.pending ? 'Saving…' : existing ? 'Save provider' : 'Add provider'}
        </button>
        <button type="button" onClick={() => onDone(null)}>
          Cancel
        </button>
        {!existing && (
          <span className="small muted">
            Then import its models with a fleet file (Files, below) and set its key here.
          </span>
        )}
      </div>
    </form>
  );
}

function KeyCell({ entry }: { entry: ProviderEntry }) {
  const { setKey, clearKey } = useActions();
  const [key, setKeyText] = useState('');
  const [reveal, setReveal] = useState(false);
  // Known up front when main says the keychain is basic_text; otherwise asked after a refusal.
  const plainTextOnly = useApp((state) => state.settings.data?.keyStoragePlainTextOnly ?? false);
  const [consentAsked, setConsentAsked] = useState(plainTextOnly);
  const [allowPlainText, setAllowPlainText] = useState(false);
  const save = useAsyncAction(setKey);
  const clear = useAsyncAction(clearKey);
  const { id } = entry.provider;
  const consentId = useId();

  // Main refuses a key on a machine whose OS keychain is basic_text until the operator opts in;
  // the box stays once asked, so ticking it and saving again is the whole fix.
  useEffect(() => {
    if (plainTextOnly || needsPlainTextConsent(save.error)) setConsentAsked(true);
  }, [save.error, plainTextOnly]);

  if (entry.key.source === 'not-needed') return null;
  return (
    <div className="stack">
      <div className="row">
        <input
          type={reveal ? 'text' : 'password'}
          placeholder="Paste a new key"
          value={key}
          onChange={(event) => setKeyText(event.target.value)}
          aria-label={`Key for ${id}`}
          data-field="key"
          autoComplete="off"
          spellCheck={false}
        />
        <button
          type="button"
          className="small"
          onClick={() => setReveal(!reveal)}
          aria-pressed={reveal}
          title="Show the key you are typing (a stored key is only ever shown masked)"
        >
          {reveal ? 'Hide' : 'Reveal'}
        </button>
        <button
          type="button"
          className="small"
          data-action="save-key"
          disabled={key.trim() === '' || save.pending}
          onClick={async () => {
            const saved = await save.run(id, key.trim(), consentAsked && allowPlainText);
            if (saved === null) return;
            setKeyText('');
            setReveal(false);
            setAllowPlainText(false);
          }}
        >
          Save key
        </button>
        {entry.key.masked && entry.key.source !== 'env' && (
          <button
            type="button"
            className="small danger"
            disabled={clear.pending}
            onClick={() => void clear.run(id)}
          >
            Forget
          </button>
        )}
      </div>
      {consentAsked && (
        <div className="consent stack" data-plain-text-consent>
          <label className="row small">
            <input
              type="checkbox"
              checked={allowPlainText}
              onChange={(event) => setAllowPlainText(event.target.checked)}
              aria-describedby={consentId}
              data-field="allow-plain-text"
            />
            <strong>Allow plain-text storage (not encrypted)</strong>
          </label>
          <div id={consentId} className="small muted">
            This machine's OS offers no keyring (basic_text), so the key would be stored readable by
            anyone who can read the data folder. Setting the provider's key environment variable
            instead keeps it out of the folder.
          </div>
        </div>
      )}
      <InlineError
        error={
          save.error && needsPlainTextConsent(save.error)
            ? { ...save.error, hint: PLAIN_TEXT_HINT }
            : (save.error ?? clear.error)
        }
        title="The key was not saved"
      />
    </div>
  );
}

function ProviderRow({
  entry,
  editing,
  onEdit,
}: {
  entry: ProviderEntry;
  editing: boolean;
  onEdit(): void;
}) {
  const { id, baseUrl, simulated } = entry.provider;
  return (
    <tr data-provider={id}>
      <td>
        <div className="row">
          <strong>{id}</strong>
          {simulated && <span className="tag">simulated</span>}
          <button
            type="button"
            className="small"
            data-action="edit-provider"
            aria-expanded={editing}
            onClick={onEdit}
          >
            Edit
          </button>
        </div>
        <div className="small muted mono">{baseUrl}</div>
        <div className="small muted" data-provider-limits>
          {limitsText(entry.provider)}
          {/* A simulated provider is never sent a key: its apiKeyEnv is ignored (said beside). */}
          {entry.provider.apiKeyEnv && !simulated && (
            <>
              {' '}
              · key from <span className="mono">{entry.provider.apiKeyEnv}</span> (CLI)
            </>
          )}
        </div>
      </td>
      <td className="small nowrap" data-key-source={entry.key.source}>
        {entry.key.source === 'not-needed' ? (
          <span className="muted">
            no key needed
            {entry.provider.apiKeyEnv && (
              <>
                {' '}
                (simulated: <span className="mono">{entry.provider.apiKeyEnv}</span> is never sent)
              </>
            )}
          </span>
        ) : entry.key.masked ? (
          <>
            <span className="mono" data-key-masked>
              {entry.key.masked}
            </span>{' '}
            <span className="muted">({entry.key.source})</span>
          </>
        ) : (
          <span className="tag warn">no key</span>
        )}
      </td>
      <td>
        <KeyCell entry={entry} />
      </td>
    </tr>
  );
}

/** Settings → Providers and keys: each provider, its limits and masked key, add and edit. */
export function ProvidersCard({ settings }: { settings: Settings }) {
  const [editing, setEditing] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const addButton = useRef<HTMLButtonElement>(null);
  const ids = settings.providers.map((entry) => entry.provider.id);
  const done = (savedId: string | null, returnFocus: () => void) => {
    setEditing(null);
    setSaved(savedId);
    returnFocus();
  };
  const focusEditButton = (id: string) => () =>
    document
      .querySelector<HTMLButtonElement>(`[data-provider="${id}"] [data-action="edit-provider"]`)
      ?.focus();
  return (
    <section className="card stack">
      <div className="row">
        <h2 style={{ margin: 0 }}>Providers and keys</h2>
        <span className="grow" style={{ flex: 1 }} />
        <button
          ref={addButton}
          type="button"
          data-action="add-provider"
          aria-expanded={editing === 'new'}
          onClick={() => {
            setSaved(null);
            setEditing(editing === 'new' ? null : 'new');
          }}
        >
          Add a provider
        </button>
      </div>
      <div className="small muted">
        Keys are stored{' '}
        {settings.keyStorage === 'session-only'
          ? 'for this session only (no OS keychain here)'
          : settings.keyStoragePlainTextOnly
            ? 'by the OS keychain, which has no keyring here (basic_text): only with your opt-in, not encrypted,'
            : 'encrypted by the OS keychain'}{' '}
        and only their masked form is ever shown.
      </div>
      {saved && (
        <div className="small" data-saved-provider={saved} role="status">
          Saved provider {saved}.
        </div>
      )}
      {editing === 'new' && (
        <ProviderFormCard
          takenIds={ids}
          onDone={(savedId) => done(savedId, () => addButton.current?.focus())}
        />
      )}
      {settings.providers.length === 0 ? (
        editing !== 'new' && (
          <EmptyState title="No providers" testId="providers">
            Add a provider above, or import a fleet file below: it declares the providers and their
            models.
          </EmptyState>
        )
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Provider</th>
              <th>Key</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {settings.providers.map((entry) => (
              <ProviderEditableRow
                key={entry.provider.id}
                entry={entry}
                editing={editing === entry.provider.id}
                takenIds={ids}
                onEdit={() => {
                  setSaved(null);
                  setEditing(editing === entry.provider.id ? null : entry.provider.id);
                }}
                onDone={(savedId) => done(savedId, focusEditButton(entry.provider.id))}
              />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function ProviderEditableRow({
  entry,
  editing,
  takenIds,
  onEdit,
  onDone,
}: {
  entry: ProviderEntry;
  editing: boolean;
  takenIds: readonly string[];
  onEdit(): void;
  onDone(savedId: string | null): void;
}) {
  return (
    <>
      <ProviderRow entry={entry} editing={editing} onEdit={onEdit} />
      {editing && (
        <tr className="form-row">
          <td colSpan={3}>
            <ProviderFormCard existing={entry.provider} takenIds={takenIds} onDone={onDone} />
          </td>
        </tr>
      )}
    </>
  );
}
