import {
  formatProblem,
  type ModelConfig,
  ModelConfigSchema,
  type ModelStatusFile,
  ModelStatusFileSchema,
  zodProblems,
} from '../../src-shared/domain';
import { retestDate, sameValue, type Verdict } from '../../src-shared/lifecycle';
import { LifecycleRepository, type StoredVerdict } from '../store';
import { configProblems } from './config-versions';
import { writeFileAtomic } from './fleet-files';
import { fleetLifecycle, usd } from './lifecycle-facts';
import type { Workspace } from './workspace';

export const STATUS_FILE_NAME = 'model-status.json';

/** The fleet's true state as model-status.json (docs/model-status.md). No keys, no URLs. */
export function exportStatus(workspace: Workspace, now: Date = new Date()): ModelStatusFile {
  const lifecycle = fleetLifecycle(workspace, { now });
  const models: ModelStatusFile['models'] = {};
  for (const entry of lifecycle.models) {
    const { model, derived, verdict, metrics } = entry;
    const operatorVerdict = derived.status === 'inactive' || derived.status === 'unfixable';
    models[model.id] = {
      active: model.active,
      status: derived.status,
      workingSince: derived.workingSince,
      lastValidated: derived.lastValidated,
      config: {
        promptVariant: model.config.promptVariant,
        timeoutMs: model.config.timeoutMs,
        responseHandler: model.config.responseHandler,
        fallback: model.config.fallback,
      },
      configVersion: model.configVersion,
      fixAttempts: entry.fixAttempts.map((attempt) => ({ version: attempt.version, note: attempt.note, successRate: attempt.successRate, at: attempt.createdAt })),
      inactiveReason: operatorVerdict ? verdict.reason : null,
      retestAt: derived.status === 'unfixable' ? verdict.retestAt : null,
      metrics: {
        successRate: metrics.successRate,
        p50LatencyMs: metrics.p50LatencyMs,
        p95LatencyMs: metrics.p95LatencyMs,
        costPerSuccessUsd: usd(metrics.costPerSuccessMicros),
        viaFallbackRate: metrics.viaFallbackRate,
      },
    };
  }
  return ModelStatusFileSchema.parse({ version: 1, generatedAt: now.toISOString(), coverage: lifecycle.coverage, models });
}

export function statusFileContent(workspace: Workspace): string {
  return `${JSON.stringify(exportStatus(workspace), null, 2)}\n`;
}

/** Writes model-status.json atomically (a temporary file, then a rename). */
export function exportStatusFile(workspace: Workspace, file: string): ModelStatusFile {
  const status = exportStatus(workspace);
  writeFileAtomic(file, `${JSON.stringify(status, null, 2)}\n`);
  return status;
}

/**
 * The re-test date an unfixable entry gets: the file's, else the one the model already has, else
 * the default after the import, as a verdict from the CLI gets.
 */
function importedRetestDate(fromFile: string | null, stored: StoredVerdict | undefined, now: Date): string {
  if (fromFile !== null) return fromFile;
  if (stored?.status === 'unfixable' && stored.retestAt !== null) return stored.retestAt;
  return retestDate(now);
}

export interface StatusChange {
  modelId: string;
  field: string;
  from: unknown;
  to: unknown;
}

export interface StatusImportResult {
  ok: boolean;
  applied: boolean;
  problems: string[];
  changes: StatusChange[];
}

interface Desired {
  modelId: string;
  active: boolean;
  verdict: Verdict;
  reason: string | null;
  retestAt: string | null;
  config: ModelConfig;
}

/**
 * Reads model-status.json and applies the operator's fields, all or nothing: `active`, an
 * inactive/unfixable status with its reason and re-test date, and the four config fields (a
 * changed config becomes a new version noted as imported). Everything else in the file (working
 * status, metrics, fix attempts, versions) is derived from runs and is not imported. Any problem
 * (bad JSON, a truncated file, a wrong field, an unknown model, a changed config that `config set`
 * would refuse) refuses the whole file and names it by its JSON path; `dryRun` only reports the
 * changes.
 */
export function importStatus(workspace: Workspace, content: string, options: { dryRun: boolean; now?: Date }): StatusImportResult {
  const refuse = (problems: string[]): StatusImportResult => ({ ok: false, applied: false, problems, changes: [] });
  let raw: unknown;
  try {
    raw = JSON.parse(content);
  } catch (error) {
    return refuse([`${STATUS_FILE_NAME} is not valid JSON (truncated?): ${(error as Error).message}`]);
  }
  const parsed = ModelStatusFileSchema.safeParse(raw, { reportInput: true });
  // A problem with the whole file (an array, a string) is named as the file's, not left pathless.
  if (!parsed.success)
    return refuse(zodProblems(parsed.error).map((problem) => formatProblem(problem.path === '' ? { ...problem, path: 'the whole file' } : problem)));

  const file = parsed.data;
  const now = options.now ?? new Date();
  const models = new Map(workspace.fleet.listModels().map((model) => [model.id, model]));
  const lifecycle = new LifecycleRepository(workspace.db, () => now);
  const verdicts = lifecycle.allVerdicts();
  const problems: string[] = [];
  const desired: Desired[] = [];
  for (const [modelId, entry] of Object.entries(file.models)) {
    const at = `models.${modelId}`;
    const model = models.get(modelId);
    if (!model) {
      problems.push(`${at}: unknown model "${modelId}" (import a fleet file to add models)`);
      continue;
    }
    if (!entry.active && entry.status !== 'inactive') problems.push(`${at}.status: an inactive model (active: false) must have status "inactive", got "${entry.status}"`);
    if (entry.active && entry.status === 'inactive') problems.push(`${at}.active: status "inactive" needs active: false`);
    if (entry.status === 'unfixable' && !entry.inactiveReason?.trim()) problems.push(`${at}.inactiveReason: an unfixable model needs the reason`);
    const verdict: Verdict = entry.status === 'inactive' ? 'inactive' : entry.status === 'unfixable' ? 'unfixable' : 'active';
    // The file's fields over the stored config; they may disagree with the rest of it (a timeout
    // under the stored first-token deadline).
    const config = ModelConfigSchema.safeParse({ ...model.config, ...entry.config }, { reportInput: true });
    if (!config.success) {
      for (const problem of zodProblems(config.error)) problems.push(`${at}.config.${formatProblem(problem)}`);
      continue;
    }
    desired.push({
      modelId,
      active: entry.active,
      verdict,
      reason: verdict === 'active' ? null : (entry.inactiveReason ?? null),
      retestAt: verdict === 'unfixable' ? importedRetestDate(entry.retestAt, verdicts.get(modelId), now) : null,
      config: config.data,
    });
  }
  // Every changed config passes the checks `config set` runs, judged together (two entries may
  // close a cycle between them), before anything is written.
  const changedConfigs = new Map(desired.filter((entry) => !sameValue(entry.config, models.get(entry.modelId)!.config)).map((entry) => [entry.modelId, entry.config]));
  for (const problem of configProblems(workspace, changedConfigs)) problems.push(`models.${problem.modelId}.config.${problem.field}: ${problem.message}`);
  if (problems.length > 0) return refuse(problems);

  const changes: StatusChange[] = [];
  for (const entry of desired) {
    const model = models.get(entry.modelId)!;
    const stored = verdicts.get(entry.modelId);
    const currentVerdict: Verdict = !model.active ? 'inactive' : stored?.status === 'unfixable' ? 'unfixable' : 'active';
    const currentReason = currentVerdict === 'active' ? null : (stored?.reason ?? null);
    const currentRetest = currentVerdict === 'unfixable' ? (stored?.retestAt ?? null) : null;
    const push = (field: string, from: unknown, to: unknown) => {
      if (!sameValue(from, to)) changes.push({ modelId: entry.modelId, field, from, to });
    };
    push('active', model.active, entry.active);
    push('verdict', currentVerdict, entry.verdict);
    push('inactiveReason', currentReason, entry.reason);
    push('retestAt', currentRetest, entry.retestAt);
    for (const field of ['promptVariant', 'timeoutMs', 'responseHandler', 'fallback'] as const) {
      push(`config.${field}`, model.config[field], entry.config[field]);
    }
  }
  if (options.dryRun || changes.length === 0) return { ok: true, applied: false, problems: [], changes };

  const changed = new Set(changes.map((change) => change.modelId));
  // Checked together above; saved one by one, an intermediate state could look invalid.
  const note = `imported from ${STATUS_FILE_NAME} generated ${file.generatedAt}`;
  workspace.fleet.transaction(() => {
    for (const entry of desired) {
      if (!changed.has(entry.modelId)) continue;
      const fields = new Set(changes.filter((change) => change.modelId === entry.modelId).map((change) => change.field));
      if ([...fields].some((field) => field.startsWith('config.'))) workspace.fleet.saveConfig(entry.modelId, entry.config, note);
      if (fields.has('active')) workspace.fleet.setActive(entry.modelId, entry.active);
      if (fields.has('verdict') || fields.has('inactiveReason') || fields.has('retestAt')) {
        lifecycle.setVerdict(entry.modelId, entry.verdict, entry.reason, entry.retestAt);
      }
    }
  });
  return { ok: true, applied: true, problems: [], changes };
}
