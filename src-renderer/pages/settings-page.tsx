import { type ChangeEvent, useEffect, useState } from 'react';
import { type Budget, BudgetSchema } from '../../src-shared/domain/fleet-file';
import type { ChannelOutput } from '../../src-shared/ipc';
import { InlineError } from '../components/inline-error';
import { SHORTCUTS } from '../components/shortcuts';
import { useAsyncAction } from '../components/use-async-action';
import { useActions, useApp, useAppStore } from '../state';
import type { ExportedFile, Settings } from '../state/settings-slice';
import { ProvidersCard } from './settings-providers';

/** Hands a file to the operator (Electron turns it into a save dialog, a browser into a download). */
function download(file: ExportedFile) {
  const url = URL.createObjectURL(new Blob([file.content], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const readFile = (event: ChangeEvent<HTMLInputElement>): Promise<string | null> => {
  const file = event.target.files?.[0];
  event.target.value = '';
  return file ? file.text() : Promise.resolve(null);
};

type BudgetField = 'dailyUsd' | 'runUsd' | 'fallbackCostCeiling';
type BudgetProblems = Partial<Record<BudgetField, string>>;

/** What each box asks for, in the words of its problem line. */
const BUDGET_FIELDS: Record<BudgetField, { name: string; unit: string }> = {
  dailyUsd: { name: 'daily budget', unit: 'an amount in USD' },
  runUsd: { name: 'per-run cap', unit: 'an amount in USD' },
  fallbackCostCeiling: { name: 'fallback cost ceiling', unit: "a multiple of the model's price" },
};

/**
 * One box of the budget form, read against the contract's own bounds (BudgetSchema). An empty
 * box is "not set", never 0: a required box says so instead of saving a $0 hard cap. A number
 * input reports text it cannot read as empty, so "1e" lands here too.
 */
function readBudgetField(
  field: BudgetField,
  text: string,
): number | undefined | { problem: string } {
  const { name, unit } = BUDGET_FIELDS[field];
  const bounds = BudgetSchema.shape[field].unwrap();
  if (text.trim() === '') {
    return field === 'runUsd' ? undefined : { problem: `${name} is required; enter ${unit}` };
  }
  const value = Number(text);
  const min = bounds.minValue ?? 0;
  const max = bounds.maxValue ?? Number.MAX_SAFE_INTEGER;
  if (!Number.isFinite(value) || value < min || value > max)
    return { problem: `${name} must be from ${min} to ${max.toLocaleString('en-US')}` };
  return value;
}

function budgetFromForm(
  form: Record<BudgetField, string>,
): { budget: Budget; problems: null } | { budget: null; problems: BudgetProblems } {
  const problems: BudgetProblems = {};
  const values: Partial<Record<BudgetField, number>> = {};
  for (const field of Object.keys(BUDGET_FIELDS) as BudgetField[]) {
    const read = readBudgetField(field, form[field]);
    if (typeof read === 'object') problems[field] = read.problem;
    else if (read !== undefined) values[field] = read;
  }
  const { dailyUsd, runUsd, fallbackCostCeiling } = values;
  if (
    Object.keys(problems).length > 0 ||
    dailyUsd === undefined ||
    fallbackCostCeiling === undefined
  )
    return { budget: null, problems };
  return {
    budget: { dailyUsd, fallbackCostCeiling, ...(runUsd === undefined ? {} : { runUsd }) },
    problems: null,
  };
}

function BudgetInput({
  field,
  label,
  value,
  problem,
  onChange,
  ...bounds
}: {
  field: BudgetField;
  label: string;
  value: string;
  problem: string | undefined;
  onChange: (value: string) => void;
  min: number;
  max?: number;
  placeholder?: string;
}) {
  const problemId = `budget-${field}-problem`;
  return (
    <label className="field">
      {label}
      <input
        type="number"
        step={0.5}
        {...bounds}
        value={value}
        data-field={`budget-${field}`}
        aria-invalid={problem !== undefined}
        aria-describedby={problem ? problemId : undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      {problem && (
        <span id={problemId} className="field-problem" data-field-problem={field} role="alert">
          {problem}
        </span>
      )}
    </label>
  );
}

/**
 * The budget form. It is remounted whenever the stored budget changes (so its boxes start from
 * what main holds), so whether the last save went through is kept by the page: `saved` holds what
 * main warned of that save while the stored budget is the one this form last saved, else null.
 */
function BudgetForm({
  settings,
  saved,
  onSaved,
}: {
  settings: Settings;
  saved: string[] | null;
  onSaved: (warnings: string[]) => void;
}) {
  const { saveBudget } = useActions();
  const save = useAsyncAction(saveBudget);
  const [form, setForm] = useState<Record<BudgetField, string>>(() => ({
    dailyUsd: String(settings.budget.dailyUsd),
    runUsd: settings.budget.runUsd === undefined ? '' : String(settings.budget.runUsd),
    fallbackCostCeiling: String(settings.budget.fallbackCostCeiling),
  }));
  const [problems, setProblems] = useState<BudgetProblems>({});
  const [edited, setEdited] = useState(false);
  const edit = (field: BudgetField) => (value: string) => {
    setForm((current) => ({ ...current, [field]: value }));
    setProblems(({ [field]: _fixed, ...rest }) => rest);
    setEdited(true);
    save.reset();
  };
  const shownSaved = saved !== null && !edited && !save.pending && !save.error;
  return (
    <section className="card stack">
      <h2>Budget</h2>
      <div className="form-grid">
        <BudgetInput
          field="dailyUsd"
          label="Daily budget (USD, hard cap)"
          min={0}
          value={form.dailyUsd}
          problem={problems.dailyUsd}
          onChange={edit('dailyUsd')}
        />
        <BudgetInput
          field="runUsd"
          label="Per-run cap (USD, optional)"
          min={0}
          placeholder="none"
          value={form.runUsd}
          problem={problems.runUsd}
          onChange={edit('runUsd')}
        />
        <BudgetInput
          field="fallbackCostCeiling"
          label="Fallback cost ceiling (× the original model's price)"
          min={1}
          max={100}
          value={form.fallbackCostCeiling}
          problem={problems.fallbackCostCeiling}
          onChange={edit('fallbackCostCeiling')}
        />
      </div>
      <InlineError error={save.error} title="The budget was not saved" />
      <div className="row">
        <button
          type="button"
          className="primary"
          data-action="save-budget"
          disabled={save.pending}
          onClick={() => {
            const read = budgetFromForm(form);
            setProblems(read.problems ?? {});
            if (read.budget)
              void save.run(read.budget).then((warnings) => {
                if (warnings !== null) onSaved(warnings);
              });
          }}
        >
          Save budget
        </button>
        {shownSaved && (
          <span className="small muted" data-budget-saved>
            Saved.
          </span>
        )}
      </div>
      {shownSaved &&
        saved.map((warning) => (
          <div key={warning} className="small" style={{ color: 'var(--warn)' }} data-budget-warning>
            {warning}
          </div>
        ))}
    </section>
  );
}

type StatusImport = ChannelOutput<'status.import'>;
type FleetImport = ChannelOutput<'fleet.import'>;

function FilesCard() {
  const { exportStatus, importStatus, exportFleet, importFleet } = useActions();
  const statusExport = useAsyncAction(exportStatus);
  const fleetExport = useAsyncAction(exportFleet);
  const statusImport = useAsyncAction(importStatus);
  const fleetImport = useAsyncAction(importFleet);
  const [statusPreview, setStatusPreview] = useState<{
    content: string;
    result: StatusImport;
  } | null>(null);
  const [fleetPreview, setFleetPreview] = useState<{ content: string; result: FleetImport } | null>(
    null,
  );
  const [exported, setExported] = useState<string | null>(null);

  return (
    <section className="card stack">
      <h2>Files</h2>
      <div className="small muted">
        model-status.json is what the prediction service reads to know which models to use; a fleet
        file holds providers, models and the budget.
      </div>
      <div className="row">
        <button
          type="button"
          className="primary"
          data-action="export-status"
          disabled={statusExport.pending}
          onClick={async () => {
            const file = await statusExport.run();
            if (file) {
              download(file);
              setExported(file.fileName);
            }
          }}
        >
          Export model-status.json
        </button>
        <label className="row small">
          <span>Import model-status.json</span>
          <input
            type="file"
            accept=".json,application/json"
            data-field="import-status"
            onChange={async (event) => {
              const content = await readFile(event);
              if (content === null) return;
              const result = await statusImport.run(content, true);
              if (result) setStatusPreview({ content, result });
            }}
          />
        </label>
        <button
          type="button"
          data-action="export-fleet"
          disabled={fleetExport.pending}
          onClick={async () => {
            const file = await fleetExport.run();
            if (file) {
              download(file);
              setExported(file.fileName);
            }
          }}
        >
          Export fleet file
        </button>
        <label className="row small">
          <span>Import fleet file</span>
          <input
            type="file"
            accept=".json,application/json"
            onChange={async (event) => {
              const content = await readFile(event);
              if (content === null) return;
              const result = await fleetImport.run(content, true);
              if (result) setFleetPreview({ content, result });
            }}
          />
        </label>
      </div>
      {exported && (
        <div className="small" data-exported={exported}>
          Exported {exported}.
        </div>
      )}
      <InlineError error={statusExport.error ?? fleetExport.error} title="Export failed" />
      <InlineError error={statusImport.error ?? fleetImport.error} title="Import failed" />
      {statusPreview && (
        <div
          className="card stack"
          data-status-import={statusPreview.result.ok ? 'ok' : 'problems'}
        >
          <h3>
            model-status.json:{' '}
            {!statusPreview.result.ok
              ? 'refused (nothing imported)'
              : statusPreview.result.applied
                ? 'applied'
                : 'what would change'}
          </h3>
          {statusPreview.result.problems.length > 0 && (
            <ul className="small" style={{ color: 'var(--bad)' }}>
              {statusPreview.result.problems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          )}
          {/* A refused file (not JSON, a wrong field) changes nothing: its problems are the whole answer. */}
          {!statusPreview.result.ok ? null : statusPreview.result.changes.length === 0 ? (
            <div className="small muted">No changes.</div>
          ) : (
            <table className="table">
              <tbody>
                {statusPreview.result.changes.map((change) => (
                  <tr key={`${change.modelId}:${change.field}`}>
                    <td>{change.modelId}</td>
                    <td className="mono small">{change.field}</td>
                    <td className="mono small">
                      {JSON.stringify(change.from)} → {JSON.stringify(change.to)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {!statusPreview.result.applied &&
            statusPreview.result.ok &&
            statusPreview.result.changes.length > 0 && (
              <button
                type="button"
                className="primary"
                onClick={async () => {
                  const result = await statusImport.run(statusPreview.content, false);
                  if (result) setStatusPreview({ content: statusPreview.content, result });
                }}
              >
                Apply all {statusPreview.result.changes.length} changes
              </button>
            )}
        </div>
      )}
      {fleetPreview && (
        <div className="card stack">
          <h3>Fleet file: {fleetPreview.result.ok ? 'valid' : 'refused (nothing imported)'}</h3>
          {[...fleetPreview.result.problems].map((problem) => (
            <div key={problem} className="small" style={{ color: 'var(--bad)' }}>
              {problem}
            </div>
          ))}
          {fleetPreview.result.warnings.map((warning) => (
            <div key={warning} className="small" style={{ color: 'var(--warn)' }}>
              {warning}
            </div>
          ))}
          {fleetPreview.result.ok && (
            <div className="small" data-fleet-import-summary>
              {fleetPreview.result.changed ? 'Would change: ' : 'Nothing to change: '}
              {fleetPreview.result.summary}
            </div>
          )}
          {fleetPreview.result.ok && fleetPreview.result.changed && (
              <button
                type="button"
                className="primary"
                onClick={async () => {
                  const result = await fleetImport.run(fleetPreview.content, false);
                  if (result) setFleetPreview(null);
                }}
              >
                Import it
              </button>
            )}
        </div>
      )}
    </section>
  );
}

export default function SettingsPage() {
  const settings = useApp((state) => state.settings);
  const theme = useApp((state) => state.theme);
  const { loadSettings, setTheme } = useActions();
  const store = useAppStore();
  // The budget the form last saved, as main then held it, and what main warned of it (the form
  // itself is remounted by a save).
  const [savedBudget, setSavedBudget] = useState<{ key: string; warnings: string[] } | null>(null);
  useEffect(() => {
    void loadSettings();
  }, [loadSettings]);
  const data = settings.data;
  const budgetKey = JSON.stringify(data?.budget ?? null);
  return (
    <div
      className="page"
      data-page="settings"
      data-settings-state={data ? 'ready' : settings.status}
    >
      <div className="page-head">
        <h1>Settings</h1>
      </div>
      <InlineError
        error={settings.error}
        title="Could not load the settings"
        onRetry={() => void loadSettings()}
      />
      {data && (
        <>
          <ProvidersCard settings={data} />
          <div className="cards">
            <BudgetForm
              key={budgetKey}
              settings={data}
              saved={savedBudget?.key === budgetKey ? savedBudget.warnings : null}
              onSaved={(warnings) =>
                setSavedBudget({
                  key: JSON.stringify(store.getState().settings.data?.budget ?? null),
                  warnings,
                })
              }
            />
            <section className="card stack">
              <h2>Ceilings and thresholds</h2>
              <table className="table">
                <tbody>
                  <tr>
                    <td>Timeout ceiling</td>
                    <td className="num">{data.thresholds.timeoutCeilingMs / 1000} s</td>
                  </tr>
                  <tr>
                    <td>Timeout ceiling, premium models</td>
                    <td className="num">{data.thresholds.premiumTimeoutCeilingMs / 1000} s</td>
                  </tr>
                  <tr>
                    <td>Fallback chain depth</td>
                    <td className="num">{data.thresholds.maxFallbackDepth}</td>
                  </tr>
                  <tr>
                    <td>Auto-disable after consecutive failures</td>
                    <td className="num">{data.thresholds.autoDisableAfter}</td>
                  </tr>
                  <tr>
                    <td>Clean canaries before "working"</td>
                    <td className="num">{data.thresholds.workingAfterCleanCanaries}</td>
                  </tr>
                </tbody>
              </table>
            </section>
          </div>
          <FilesCard />
          <div className="cards">
            <section className="card stack">
              <h2>Data folder</h2>
              <div className="mono small" data-data-dir>
                {data.dataDir}
              </div>
              <div className="small muted">
                The workspace database, exports and logs live here. Start Fleetdeck with another
                folder to keep a separate workspace.
              </div>
            </section>
            <section className="card stack">
              <h2>Appearance</h2>
              <div className="row">
                <span className="seg">
                  <button
                    type="button"
                    aria-pressed={theme === 'light'}
                    onClick={() => setTheme('light')}
                  >
                    Light
                  </button>
                  <button
                    type="button"
                    aria-pressed={theme === 'dark'}
                    onClick={() => setTheme('dark')}
                  >
                    Dark
                  </button>
                </span>
                <span className="small muted">
                  or press <kbd>t</kbd>
                </span>
              </div>
            </section>
          </div>
          <section className="card">
            <h2>Keyboard shortcuts</h2>
            <table className="table">
              <tbody>
                {SHORTCUTS.map((shortcut) => (
                  <tr key={shortcut.keys}>
                    <td style={{ width: 260 }}>
                      <kbd>{shortcut.keys}</kbd>
                    </td>
                    <td>{shortcut.what}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </div>
  );
}
