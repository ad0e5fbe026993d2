import { useEffect, useMemo, useState } from 'react';
import { DEFAULT_FIRST_TOKEN_TIMEOUT_MS, MAX_MAX_TOKENS, MAX_TEMPERATURE, MIN_TIMEOUT_MS, timeoutCeilingMs } from '../../src-shared/domain/limits';
import {
  firstTokenTimeoutMs,
  type ModelConfig,
  ModelConfigSchema,
  PARSE_STEPS,
  type ParseStep,
} from '../../src-shared/domain/model-config';
import type { ModelDetailView, RegressionPlanView } from '../../src-shared/ipc';
import { DiffView } from '../components/diff-view';
import { InlineError } from '../components/inline-error';
import { CodeEditor } from '../components/lazy-code-editor';
import { useAsyncAction } from '../components/use-async-action';
import { describePlan } from '../format/plan';
import { href, navigate, runRoute } from '../routing';
import { useActions, useApp } from '../state';
import { configText, fieldFromNumber, localConfigProblems, numberFromField } from './config-checks';

function PlanSummary({ plan }: { plan: RegressionPlanView }) {
  return (
    <div
      className="card stack"
      data-plan-blast={plan.blastRadius}
      data-plan-affected={plan.affected.length}
    >
      <h3>Regression plan: {plan.change}</h3>
      <div className="small">
        Blast radius <strong>{plan.blastRadius}</strong>: {describePlan(plan)}
      </div>
      {plan.problems.length > 0 && (
        <ul className="small" style={{ color: 'var(--bad)' }}>
          {plan.problems.map((problem) => (
            <li key={problem}>{problem}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export { PlanSummary };

/** The config form: every field with its ceiling, a fallback picker that refuses cycles and over-ceiling prices. */
export function ModelConfigEditor({ detail }: { detail: ModelDetailView }) {
  const modelId = detail.row.id;
  const [draft, setDraft] = useState<ModelConfig>(detail.config);
  const [asJson, setAsJson] = useState(false);
  const [jsonText, setJsonText] = useState(() => configText(detail.config));
  const [jsonError, setJsonError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const catalog = useApp((state) => state.catalog);
  const { loadCatalog, checkModelConfig, saveModelConfig, startRegression, tryModelConfig } =
    useActions();
  const check = useAsyncAction(checkModelConfig);
  const save = useAsyncAction(saveModelConfig);
  const regress = useAsyncAction(startRegression);
  const trial = useAsyncAction(tryModelConfig);

  useEffect(() => {
    if (catalog.status === 'idle') void loadCatalog();
  }, [catalog.status, loadCatalog]);

  // A saved version (or a rollback elsewhere) resets the form to the model's config. Keyed on
  // the config's text, not its object: a refresh of the page (a run finishing, a status event)
  // brings the same config as a new object and must not wipe what the operator is typing.
  const currentText = configText(detail.config);
  const currentConfig = detail.config;
  // biome-ignore lint/correctness/useExhaustiveDependencies: reset on a changed config, not a new object
  useEffect(() => {
    setDraft(currentConfig);
    setJsonText(currentText);
    // What was said of the discarded draft goes with it: its JSON error, its plan, its note.
    setJsonError(null);
    setNote('');
    check.reset();
  }, [currentText, detail.row.configVersion]);

  const localProblems = useMemo(() => localConfigProblems(detail, draft), [detail, draft]);
  /** Whether the form's own checks name this field (each problem begins with its field). */
  const invalid = (field: keyof ModelConfig) =>
    localProblems.some((problem) => problem.startsWith(`${field}:`));
  const dirty = configText(draft) !== currentText;
  const ceiling = timeoutCeilingMs(detail.row.premium);
  const variants = catalog.data?.variants.map((variant) => variant.name) ?? [draft.promptVariant];
  const handlerMode = Array.isArray(draft.responseHandler) ? 'custom' : draft.responseHandler;

  const update = (patch: Partial<ModelConfig>) => {
    setDraft((current) => ({ ...current, ...patch }));
    check.reset();
  };

  const applyJson = (text: string) => {
    setJsonText(text);
    try {
      const parsed = ModelConfigSchema.safeParse(JSON.parse(text));
      if (!parsed.success) {
        setJsonError(
          parsed.error.issues
            .map((issue) => `${issue.path.join('.') || 'config'}: ${issue.message}`)
            .join('; '),
        );
        return;
      }
      setJsonError(null);
      setDraft(parsed.data);
      check.reset();
    } catch (error) {
      setJsonError(error instanceof Error ? error.message : String(error));
    }
  };

  const toggleStep = (step: ParseStep) => {
    const steps = Array.isArray(draft.responseHandler) ? draft.responseHandler : [...PARSE_STEPS];
    const next = steps.includes(step)
      ? steps.filter((s) => s !== step)
      : PARSE_STEPS.filter((s) => s === step || steps.includes(s));
    if (next.length > 0) update({ responseHandler: next });
  };

  const problems = [
    ...localProblems,
    ...(jsonError ? [`JSON: ${jsonError}`] : []),
    ...(check.result?.problems ?? []),
  ];
  const savedVersion = save.result?.version;

  return (
    <div className="stack" data-config-editor>
      <div className="row">
        <span className="seg">
          <button type="button" aria-pressed={!asJson} onClick={() => setAsJson(false)}>
            Form
          </button>
          <button
            type="button"
            aria-pressed={asJson}
            onClick={() => {
              setJsonText(configText(draft));
              setAsJson(true);
            }}
          >
            JSON
          </button>
        </span>
        <span className="muted small">
          Editing v{detail.row.configVersion}. Saving writes a new version (a fix attempt) and never
          touches running runs, which pin their versions.
        </span>
      </div>
      {asJson ? (
        <CodeEditor
          value={jsonText}
          onChange={applyJson}
          language="json"
          label="Model config JSON"
          height="260px"
          testId="config-json"
        />
      ) : (
        <div className="form-grid">
          <label className="field">
            Prompt variant
            <select
              value={draft.promptVariant}
              onChange={(event) => update({ promptVariant: event.target.value })}
              data-field="promptVariant"
            >
              {[...new Set([...variants, draft.promptVariant])].map((name) => (
                <option key={name}>{name}</option>
              ))}
            </select>
          </label>
          <label className="field">
            Timeout (ms) — ceiling {ceiling / 1000} s{detail.row.premium ? ' (premium)' : ''}
            <input
              type="number"
              min={MIN_TIMEOUT_MS}
              step={1000}
              value={fieldFromNumber(draft.timeoutMs)}
              onChange={(event) => update({ timeoutMs: numberFromField(event.target.value) })}
              aria-invalid={invalid('timeoutMs')}
              data-field="timeoutMs"
            />
          </label>
          <label className="field">
            Reply handler
            <select
              value={handlerMode}
              data-field="responseHandler"
              onChange={(event) => {
                const value = event.target.value;
                update({
                  responseHandler:
                    value === 'custom' ? [...PARSE_STEPS] : (value as 'strict' | 'auto'),
                });
              }}
            >
              <option value="auto">auto — every parse step</option>
              <option value="strict">strict — JSON.parse of the whole reply</option>
              <option value="custom">custom steps</option>
            </select>
          </label>
          <label className="field">
            Fallback (exact id)
            <select
              value={draft.fallback ?? ''}
              onChange={(event) => update({ fallback: event.target.value || null })}
              data-field="fallback"
            >
              <option value="">none</option>
              {detail.fallbackOptions.map((option) => (
                <option
                  key={option.id}
                  value={option.id}
                  disabled={!option.allowed}
                  title={option.why ?? ''}
                >
                  {option.id}
                  {option.allowed ? '' : ` — refused: ${option.why ?? 'not allowed'}`}
                </option>
              ))}
            </select>
          </label>
          <label className="field">
            Max tokens
            <input
              type="number"
              min={1}
              max={MAX_MAX_TOKENS}
              value={fieldFromNumber(draft.maxTokens)}
              onChange={(event) => update({ maxTokens: numberFromField(event.target.value) })}
              aria-invalid={invalid('maxTokens')}
              data-field="maxTokens"
            />
          </label>
          <label className="field">
            Temperature
            <input
              type="number"
              min={0}
              max={MAX_TEMPERATURE}
              step={0.1}
              value={fieldFromNumber(draft.temperature)}
              onChange={(event) => update({ temperature: numberFromField(event.target.value) })}
              aria-invalid={invalid('temperature')}
              data-field="temperature"
            />
          </label>
          <label className="field" style={{ flexDirection: 'row', alignItems: 'center', gap: 8 }}>
            <input
              type="checkbox"
              checked={draft.stream}
              onChange={(event) => {
                const stream = event.target.checked;
                // The first-token deadline is for streams only: unticking drops it, so a value
                // no longer shown can never block the save.
                setDraft((current) => {
                  if (stream) return { ...current, stream };
                  const { firstTokenTimeoutMs: _dropped, ...rest } = current;
                  return { ...rest, stream };
                });
                check.reset();
              }}
              data-field="stream"
            />
            Stream (measures time to first token)
          </label>
          {draft.stream && (
            <label className="field">
              First-token deadline (ms) — empty: the smaller of the timeout and{' '}
              {DEFAULT_FIRST_TOKEN_TIMEOUT_MS / 1000} s
              <input
                type="number"
                min={MIN_TIMEOUT_MS}
                step={1000}
                placeholder={String(firstTokenTimeoutMs(draft))}
                value={fieldFromNumber(draft.firstTokenTimeoutMs)}
                onChange={(event) => {
                  const { firstTokenTimeoutMs: _dropped, ...rest } = draft;
                  const text = event.target.value;
                  setDraft(text.trim() === '' ? rest : { ...rest, firstTokenTimeoutMs: numberFromField(text) });
                  check.reset();
                }}
                aria-invalid={invalid('firstTokenTimeoutMs')}
                data-field="firstTokenTimeoutMs"
              />
            </label>
          )}
          {handlerMode === 'custom' && (
            <fieldset
              className="field"
              style={{ gridColumn: '1 / -1', border: 'none', padding: 0 }}
            >
              <legend className="small muted">Parse steps, in order</legend>
              <div className="row">
                {PARSE_STEPS.map((step) => (
                  <label key={step} className="row small">
                    <input
                      type="checkbox"
                      checked={
                        Array.isArray(draft.responseHandler) && draft.responseHandler.includes(step)
                      }
                      onChange={() => toggleStep(step)}
                    />
                    {step}
                  </label>
                ))}
              </div>
            </fieldset>
          )}
          <label className="field" style={{ gridColumn: '1 / -1' }}>
            Prompt override (this model's own text, appended to the composed prompt)
            <textarea
              rows={3}
              value={draft.promptOverride ?? ''}
              onChange={(event) => update({ promptOverride: event.target.value || undefined })}
            />
          </label>
        </div>
      )}
      {problems.length > 0 && (
        <div className="inline-error" role="alert" data-config-problems={problems.length}>
          <strong>This config cannot be saved:</strong>
          <ul>
            {problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      {check.result && check.result.warnings.length > 0 && (
        <div className="banner warn small">
          {check.result.warnings.map((warning) => (
            <div key={warning}>{warning}</div>
          ))}
        </div>
      )}
      {dirty && (
        <DiffView
          before={configText(detail.config)}
          after={configText(draft)}
          beforeLabel={`v${detail.row.configVersion}`}
          afterLabel="draft"
        />
      )}
      {check.result && <PlanSummary plan={check.result.plan} />}
      <InlineError error={check.error} title="Checking the config failed" />
      <InlineError error={save.error} title="Saving the config failed" />
      <InlineError error={trial.error} title="Trying the draft failed" />
      <div className="row">
        <button
          type="button"
          disabled={!dirty || localProblems.length > 0 || jsonError !== null || check.pending}
          onClick={() => void check.run(modelId, draft)}
        >
          {check.pending ? 'Checking…' : 'Check and show the plan'}
        </button>
        <button
          type="button"
          data-action="try-config"
          title="Stored as a version that is not made current, then run side by side with the current one on 5 fixtures. Its replies count toward neither the model's status nor auto-disable; only the provider's own failures (5xx, network, 404, truncated streams) count toward its circuit."
          disabled={!dirty || problems.length > 0 || trial.pending}
          onClick={async () => {
            const started = await trial.run(modelId, draft);
            if (started) navigate({ page: 'compare', runId: started.runId });
          }}
        >
          {trial.pending ? 'Starting…' : `Try beside v${detail.row.configVersion} without saving`}
        </button>
        <input
          style={{ flex: 1, minWidth: 240 }}
          placeholder="Note: what does this fix attempt try? (required)"
          value={note}
          onChange={(event) => setNote(event.target.value)}
          aria-label="Fix attempt note"
          data-field="note"
        />
        <button
          type="button"
          className="primary"
          data-action="save-config"
          disabled={!dirty || problems.length > 0 || note.trim() === '' || save.pending}
          onClick={async () => {
            const saved = await save.run(modelId, draft, note.trim());
            if (saved) setNote('');
          }}
        >
          {save.pending ? 'Saving…' : 'Save as new version'}
        </button>
      </div>
      {savedVersion !== undefined && save.result && (
        <div className="banner stack" data-saved-version={savedVersion}>
          <div>
            Saved as <strong>v{savedVersion}</strong>. Prove it: run the regression gate on{' '}
            {save.result.plan.tested.length} model
            {save.result.plan.tested.length === 1 ? '' : 's'} before trusting it.
          </div>
          {save.result.warnings.length > 0 && (
            <ul className="small" data-saved-warnings={save.result.warnings.length}>
              {save.result.warnings.map((warning) => (
                <li key={warning}>{warning}</li>
              ))}
            </ul>
          )}
          <div className="row">
            <button
              type="button"
              className="primary"
              data-action="run-model-regression"
              disabled={regress.pending}
              onClick={() => void regress.run({ kind: 'model', modelId })}
            >
              Run the regression gate
            </button>
            {regress.result && (
              <a
                href={href(runRoute(regress.result.runId))}
                data-regression-run={regress.result.runId}
              >
                Follow run {regress.result.runId}
              </a>
            )}
          </div>
          <InlineError error={regress.error} title="The regression gate did not start" />
        </div>
      )}
    </div>
  );
}
