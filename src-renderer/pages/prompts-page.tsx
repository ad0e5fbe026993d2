import { useEffect, useMemo, useState } from 'react';
import type { PromptChangeInput, RegressionPlanView } from '../../src-shared/ipc';
import { DiffView } from '../components/diff-view';
import { EmptyState } from '../components/empty-state';
import { InlineError } from '../components/inline-error';
import { CodeEditor } from '../components/lazy-code-editor';
import { useAsyncAction } from '../components/use-async-action';
import { formatUtc } from '../format';
import { href, modelRoute, navigate, type Route } from '../routing';
import { useActions, useApp } from '../state';
import { historyKey } from '../state/prompts-slice';
import { PlanSummary } from './model-config-editor';
import { RegressionPanel } from './regression-panel';

const gateSize = (models: number) =>
  models === 0 ? 'no model to run' : `${models} model${models === 1 ? '' : 's'}`;

type PromptsRoute = Extract<Route, { page: 'prompts' }>;
type Kind = 'variant' | 'component';

interface Item {
  kind: Kind;
  name: string;
  version: number;
  text: string;
  usedBy: string[];
  builtin: boolean;
}

function PromptEditor({ item }: { item: Item }) {
  const [draft, setDraft] = useState(item.text);
  const [note, setNote] = useState('');
  const [plan, setPlan] = useState<RegressionPlanView | null>(null);
  const [regressionRun, setRegressionRun] = useState<string | null>(null);
  const history = useApp((state) => state.promptHistory[historyKey(item.kind, item.name)]);
  const { loadPromptHistory, planPromptChange, savePromptChange, startRegression } = useActions();
  const review = useAsyncAction(planPromptChange);
  const [savedOnly, setSavedOnly] = useState(false);
  // A change no active model uses has no gate to run: it is saved, and that is the whole of it.
  const saveAndRun = useAsyncAction(async (change: PromptChangeInput, text: string, gate: boolean) => {
    await savePromptChange(change, text);
    if (!gate) return { runId: null };
    const target =
      change.kind === 'variant'
        ? { kind: 'variant' as const, name: change.name }
        : { kind: 'component' as const, key: change.key };
    return { runId: (await startRegression(target)).runId };
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new saved version (item.version) means a new history entry
  useEffect(() => {
    void loadPromptHistory(item.kind, item.name);
  }, [item.kind, item.name, item.version, loadPromptHistory]);
  useEffect(() => {
    setDraft(item.text);
    setPlan(null);
  }, [item.text]);

  const change: PromptChangeInput =
    item.kind === 'variant'
      ? { kind: 'variant', name: item.name, text: draft }
      : { kind: 'component', key: item.name, text: draft };
  const dirty = draft !== item.text;
  const versions = [...(history?.data ?? [])].sort((left, right) => right.version - left.version);
  const previous = versions.find((version) => version.version < item.version);

  return (
    <div className="stack" data-prompt-editor={`${item.kind}:${item.name}`}>
      <div className="row">
        <h2 style={{ margin: 0 }}>
          {item.kind} {item.name}
        </h2>
        <span className="tag">v{item.version}</span>
        {item.builtin && <span className="tag">built-in</span>}
        <span className="muted small">
          used by {item.usedBy.length} model{item.usedBy.length === 1 ? '' : 's'}
          {item.usedBy.length > 0
            ? `: ${item.usedBy.slice(0, 6).join(', ')}${item.usedBy.length > 6 ? ', …' : ''}`
            : ''}
        </span>
      </div>
      <CodeEditor
        value={draft}
        onChange={(text) => {
          setDraft(text);
          setPlan(null);
          setSavedOnly(false);
          review.reset();
        }}
        label={`${item.kind} ${item.name} text`}
        height="200px"
        testId="prompt"
      />
      {dirty && (
        <DiffView
          before={item.text}
          after={draft}
          beforeLabel={`v${item.version}`}
          afterLabel="draft"
        />
      )}
      {plan && <PlanSummary plan={plan} />}
      <InlineError error={review.error} title="Could not plan this change" />
      <InlineError error={saveAndRun.error} title="Saving or starting the regression gate failed" />
      <div className="row">
        <button
          type="button"
          data-action="review-prompt"
          disabled={!dirty || review.pending}
          onClick={async () => {
            const planned = await review.run(change);
            if (planned) setPlan(planned);
          }}
          title="Show the regression plan and blast radius before saving"
        >
          {review.pending ? 'Planning…' : 'Review the change'}
        </button>
        <input
          style={{ flex: 1, minWidth: 220 }}
          placeholder="Note: why this change (required)"
          value={note}
          onChange={(event) => setNote(event.target.value)}
          aria-label="Change note"
          data-field="prompt-note"
        />
        <button
          type="button"
          className="primary"
          data-action="save-and-regress"
          disabled={!plan || plan.problems.length > 0 || note.trim() === '' || saveAndRun.pending}
          title={
            !plan
              ? 'Review the change first'
              : plan.problems.length > 0
                ? 'Fix the problems listed first'
                : plan.tested.length === 0
                  ? 'Saves a new version; no active model uses it, so there is no gate to run'
                  : 'Saves a new version, then runs the regression gate'
          }
          onClick={async () => {
            if (!plan) return;
            const started = await saveAndRun.run(change, note.trim(), plan.tested.length > 0);
            if (started) {
              if (started.runId) setRegressionRun(started.runId);
              else setSavedOnly(true);
              setNote('');
              setPlan(null);
            }
          }}
        >
          {saveAndRun.pending
            ? 'Saving…'
            : plan && plan.tested.length === 0
              ? 'Save (no model uses it: no gate to run)'
              : `Save and run the gate${plan ? ` (${gateSize(plan.tested.length)})` : ''}`}
        </button>
      </div>
      {savedOnly && (
        <div className="small" data-prompt-saved-only>
          Saved as a new version. No active model uses it, so there is no gate to run.
        </div>
      )}
      {regressionRun && <RegressionPanel runId={regressionRun} />}
      {previous && (
        <details>
          <summary className="small">
            Diff v{previous.version} → v{item.version} (last saved change
            {versions[0]?.note ? `: ${versions[0].note}` : ''})
          </summary>
          <DiffView
            before={previous.text}
            after={item.text}
            beforeLabel={`v${previous.version}`}
            afterLabel={`v${item.version}`}
          />
        </details>
      )}
      {versions.length > 0 && (
        <details>
          <summary className="small">History ({versions.length} versions)</summary>
          <table className="table">
            <tbody>
              {versions.map((version) => (
                <tr key={version.version}>
                  <td>v{version.version}</td>
                  <td>{version.note || <span className="muted">—</span>}</td>
                  <td className="small muted">{formatUtc(version.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}

function ModelOverride({ modelId }: { modelId: string }) {
  const detail = useApp((state) => state.modelDetails[modelId]);
  const { loadModel, saveModelConfig } = useActions();
  const [draft, setDraft] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const save = useAsyncAction(saveModelConfig);
  useEffect(() => {
    void loadModel(modelId);
  }, [modelId, loadModel]);
  const config = detail?.data?.config;
  if (!config) return <InlineError error={detail?.error} title={`Could not load ${modelId}`} />;
  const current = config.promptOverride ?? '';
  const text = draft ?? current;
  return (
    <div className="stack">
      <h3>{modelId}'s own override (appended to the composed prompt)</h3>
      <CodeEditor
        value={text}
        onChange={setDraft}
        label={`${modelId} prompt override`}
        height="110px"
        testId="override"
      />
      {text !== current && (
        <DiffView before={current} after={text} beforeLabel="saved" afterLabel="draft" />
      )}
      <InlineError error={save.error} title="Saving the override failed" />
      <div className="row">
        <input
          style={{ flex: 1 }}
          placeholder="Note (required)"
          value={note}
          onChange={(event) => setNote(event.target.value)}
          aria-label="Override note"
        />
        <button
          type="button"
          disabled={text === current || note.trim() === '' || save.pending}
          onClick={async () => {
            const saved = await save.run(
              modelId,
              { ...config, promptOverride: text === '' ? undefined : text },
              note.trim(),
            );
            if (saved) {
              setDraft(null);
              setNote('');
            }
          }}
        >
          Save override as a new config version
        </button>
      </div>
    </div>
  );
}

function ComposedPrompt({ modelId }: { modelId: string }) {
  const composed = useApp((state) => state.composed[modelId]);
  const { composeFor } = useActions();
  useEffect(() => {
    if (composed === undefined) void composeFor(modelId);
  }, [composed, modelId, composeFor]);
  if (!composed?.data)
    return (
      <InlineError
        error={composed?.error}
        title="Could not compose the prompt"
        onRetry={() => void composeFor(modelId)}
      />
    );
  const { data } = composed;
  return (
    <div className="stack" data-composed={modelId}>
      {data.problems.length > 0 && (
        <div className="inline-error" data-compose-problems={data.problems.length}>
          <strong>Missing required sections:</strong>
          <ul>
            {data.problems.map((problem) => (
              <li key={problem}>{problem}</li>
            ))}
          </ul>
        </div>
      )}
      <div className="row small">
        {data.sections.map((section) => (
          <span key={`${section.kind}:${section.name}`} className="tag" title={section.text}>
            {section.kind} {section.name}
            {section.version !== null ? ` v${section.version}` : ''}
          </span>
        ))}
      </div>
      <h3>System</h3>
      <pre className="reply">{data.system}</pre>
      <h3>User (first fixture)</h3>
      <pre className="reply">{data.user}</pre>
    </div>
  );
}

export default function PromptsPage({ route }: { route: PromptsRoute }) {
  const catalog = useApp((state) => state.catalog);
  const fleetIds = useApp((state) => state.fleetIds);
  const { loadCatalog } = useActions();
  useEffect(() => {
    void loadCatalog();
  }, [loadCatalog]);

  const items = useMemo<Item[]>(() => {
    if (!catalog.data) return [];
    return [
      ...catalog.data.variants.map((variant) => ({ kind: 'variant' as const, ...variant })),
      ...catalog.data.components.map((component) => ({
        kind: 'component' as const,
        name: component.key,
        version: component.version,
        text: component.text,
        usedBy: component.usedBy,
        builtin: false,
      })),
    ];
  }, [catalog.data]);

  const selected =
    items.find((item) => item.kind === route.kind && item.name === route.name) ?? null;
  const select = (patch: Partial<PromptsRoute>) =>
    navigate({ ...route, ...patch }, { replace: true });

  if (!catalog.data) {
    return (
      <div className="page" data-page="prompts">
        <h1>Prompts</h1>
        {catalog.status === 'error' ? (
          <InlineError
            error={catalog.error}
            title="Could not load the prompt catalog"
            onRetry={() => void loadCatalog()}
          />
        ) : (
          <div className="muted">Loading…</div>
        )}
      </div>
    );
  }

  const renderList = (kind: Kind, title: string) => (
    <>
      <h3 style={{ marginTop: 10 }}>{title}</h3>
      <ul className="list">
        {items
          .filter((item) => item.kind === kind)
          .map((item) => (
            <li key={item.name}>
              <button
                type="button"
                aria-current={selected === item}
                onClick={() => select({ kind, name: item.name })}
                data-prompt-item={`${kind}:${item.name}`}
              >
                <span className="mono">{item.name}</span>
                <span className="muted small">
                  v{item.version} · {item.usedBy.length}
                </span>
              </button>
            </li>
          ))}
      </ul>
    </>
  );

  return (
    <div className="page" data-page="prompts" data-prompts-ready>
      <div className="page-head">
        <h1>Prompts</h1>
        <span className="tag">{catalog.data.task}</span>
        <span className="muted small">
          A model's prompt = the task's components + its variant + its own override. Saving a change
          runs the regression gate on every model it touches.
        </span>
      </div>
      <div className="split">
        <div className="card" style={{ alignSelf: 'start' }}>
          {renderList('variant', 'Variants')}
          {renderList('component', 'Task components')}
          <h3 style={{ marginTop: 10 }}>Composed prompt of</h3>
          <select
            aria-label="Model to compose for"
            value={route.modelId ?? ''}
            onChange={(event) => select({ modelId: event.target.value || null })}
            style={{ width: '100%' }}
          >
            <option value="">pick a model…</option>
            {fleetIds.map((id) => (
              <option key={id}>{id}</option>
            ))}
          </select>
        </div>
        <div className="stack" style={{ minWidth: 0 }}>
          {selected ? (
            <div className="card">
              <PromptEditor key={`${selected.kind}:${selected.name}`} item={selected} />
            </div>
          ) : (
            <EmptyState title="Pick a variant or component to edit" testId="prompts">
              Variants are the sentences models get on top of the task (JSON_STRICT,
              THINKING_STRIPPED, ENGLISH_ONLY); components are the task's own sections. Every save
              shows its blast radius first and then proves it on the models it touches.
            </EmptyState>
          )}
          {route.modelId && (
            <div className="card stack">
              <div className="row">
                <h2 style={{ margin: 0 }}>Composed prompt for {route.modelId}</h2>
                <a href={href(modelRoute(route.modelId))} className="small">
                  open model
                </a>
              </div>
              <ComposedPrompt key={route.modelId} modelId={route.modelId} />
              <ModelOverride key={`o:${route.modelId}`} modelId={route.modelId} />
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
