import { InputError, NotFoundError } from '../../src-shared/errors';
import type { RegressionPlanView, RegressionReportView } from '../../src-shared/ipc';
import {
  blastRadius,
  type ChangeKind,
  type ChangeRef,
  DEFAULT_GATE_FIXTURES,
  describeChange,
  gateVerdict,
  type GateCounts,
  type GateRun,
  vouchesForModel,
} from '../../src-shared/lifecycle';
import { type ItemFact, LifecycleRepository, PromptRepository } from '../store';
import { type CanaryReport, runCanary } from './canary';
import { rollbackConfig } from './config-versions';
import { AUTO_DISABLED, type EngineHost } from './engine-host';
import { type FleetLifecycle, fleetLifecycle, runFactsOf, testedModel } from './lifecycle-facts';
import { loadPromptCatalog } from './prompt-catalog';
import { closeCircuit, enableModel } from './lifecycle';
import type { RunEvent } from './run-executor';
import type { Workspace } from './workspace';

/** A change at a definite version, with the version a rollback restores. */
export interface ResolvedChange {
  kind: ChangeKind;
  name: string;
  version: number;
  previousVersion: number | null;
}

/** The latest stored version of a variant, component or model config; undefined if none. */
export function latestVersionOf(workspace: Workspace, kind: ChangeKind, name: string): number | undefined {
  if (kind === 'model') return workspace.fleet.getModel(name)?.configVersion;
  const prompts = new PromptRepository(workspace.db);
  if (kind === 'variant') {
    loadPromptCatalog(workspace);
    return prompts.latestVariant(name)?.version;
  }
  return prompts.latestComponent(workspace.fleet.task(), name)?.version;
}

/**
 * Pins a change to a version. The gate tests what runs now, so a version other than the latest
 * is refused (test an old version by rolling back to it first).
 */
export function resolveChange(workspace: Workspace, change: ChangeRef): ResolvedChange {
  const latest = latestVersionOf(workspace, change.kind, change.name);
  if (latest === undefined) throw new NotFoundError(`unknown ${change.kind} "${change.name}"`);
  if (change.version !== undefined && change.version !== latest) {
    throw new InputError(`${change.kind} ${change.name} is at v${latest}, not v${change.version}: the gate tests the version in use`);
  }
  // A model's versions may include trials, which were never its config: the one it replaced.
  const previousVersion =
    change.kind === 'model' ? workspace.fleet.previousCurrentVersion(change.name, latest) : latest > 1 ? latest - 1 : null;
  return { kind: change.kind, name: change.name, version: latest, previousVersion };
}

/**
 * The gate's plan for a change at `version` (which may be the version about to be saved): the
 * blast radius, the models it runs (with the seeded sample of working models) and the fixtures.
 */
export function planChange(
  workspace: Workspace,
  change: { kind: ChangeKind; name: string; version: number },
  options: { fixtures?: number; problems?: readonly string[]; lifecycle?: FleetLifecycle } = {},
): RegressionPlanView {
  const lifecycle = options.lifecycle ?? fleetLifecycle(workspace);
  const radius = blastRadius(
    change,
    lifecycle.models.map((entry) => ({ id: entry.model.id, active: entry.model.active, promptVariant: entry.model.config.promptVariant, status: entry.derived.status })),
  );
  return {
    change: describeChange(change),
    blastRadius: radius.blastRadius,
    affected: radius.affected,
    tested: radius.tested,
    seed: radius.seed,
    fixtures: options.fixtures ?? DEFAULT_GATE_FIXTURES,
    problems: [...(options.problems ?? [])],
  };
}

export interface RegressionOptions {
  fixtures?: number;
  concurrency?: number;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
}

/**
 * Runs the regression gate for the latest version of a change: a normal run (kind `regression`)
 * of the planned models, each compared with its baseline (see src-shared/lifecycle gateVerdict).
 * The report is stored as the run's summary (with the canary figures) and returned.
 */
export async function runRegression(host: EngineHost, change: ChangeRef, options: RegressionOptions = {}): Promise<RegressionReportView> {
  const resolved = resolveChange(host.workspace, change);
  const plan = planChange(host.workspace, resolved, { fixtures: options.fixtures ?? DEFAULT_GATE_FIXTURES });
  if (plan.tested.length === 0) throw new InputError(`${plan.change} changes no active model's prompt: nothing to test`);
  // The gate tests the change: a circuit the old prompt or config's failures opened must not
  // refuse the fixtures that would show the fix (a prompt save closes none by itself). Only the
  // models the change touches: a sampled working model's open circuit means its provider failed,
  // and sending to it anyway would read an outage as a regression (it stays refused: incomplete).
  for (const modelId of plan.affected) closeCircuit(host, modelId);
  const lifecycle = new LifecycleRepository(host.workspace.db);
  let runId: string | undefined;
  let gateReport: RegressionReportView | undefined;
  const report = await runCanary(host, {
    kind: 'regression',
    models: plan.tested,
    fixtures: plan.fixtures,
    concurrency: options.concurrency ?? 8,
    signal: options.signal,
    onEvent: (event) => {
      if (event.type === 'run-started') {
        runId = event.runId;
        lifecycle.addGate({
          runId: event.runId,
          kind: resolved.kind,
          name: resolved.name,
          version: resolved.version,
          previousVersion: resolved.previousVersion,
          plan,
          // The prompt versions the gate's run pinned at its start: what it tested.
          promptVersions: host.runs.getRun(event.runId)?.promptVersions ?? null,
          createdAt: new Date().toISOString(),
        });
      }
      options.onEvent?.(event);
    },
    // The summary is stored after this, so the gate's own warnings come from the canary report.
    // The report made here is the one returned: the run is finished, nothing it reads changes.
    summaryOf: (canary: CanaryReport) => {
      gateReport = regressionReport(host, canary.runId, new Map(canary.models.map((model) => [model.modelId, model.warnings])));
      return { ...canary, regression: gateReport };
    },
  });
  if (runId === undefined) throw new Error('the regression run did not start');
  return gateReport ?? regressionReport(host, report.runId);
}

/** Fixtures of the gate's items that were refused before the model was sent them (no key, an open circuit, the budget). */
function unsentOf(items: readonly ItemFact[]): number {
  return items.filter((item) => item.decided && item.ownAttempts === 0).reduce((sum, item) => sum + item.fixtures, 0);
}

function countsOf(items: readonly ItemFact[]): GateCounts | null {
  const decided = items.filter(testedModel);
  if (decided.length === 0) return null;
  return {
    predictions: decided.reduce((sum, item) => sum + item.fixtures, 0),
    own: decided.filter((item) => item.ownSuccess).reduce((sum, item) => sum + item.fixtures, 0),
  };
}

/**
 * A gate run's report, computed from its records and each model's runs before it. The gate's own
 * quality warnings are read from its stored summary unless given (while that summary is made).
 */
export function regressionReport(host: EngineHost, runId: string, ownWarnings?: ReadonlyMap<string, readonly string[]>): RegressionReportView {
  const lifecycle = new LifecycleRepository(host.workspace.db);
  const gate = lifecycle.gate(runId);
  const run = host.runs.getRun(runId);
  if (!gate || !run) throw new NotFoundError(`run ${runId} is not a regression gate`);
  const plan = gate.plan as RegressionPlanView;
  const items = lifecycle.itemFacts().filter((item) => plan.tested.includes(item.modelId));
  const quality = lifecycle.qualityWarnings();
  const models = plan.tested.map((modelId) => {
    const mine = items.filter((item) => item.modelId === modelId);
    const inGate = mine.filter((item) => item.runId === runId);
    const counts = countsOf(inGate);
    const unsent = unsentOf(inGate);
    const warnings = [...((ownWarnings ? ownWarnings.get(modelId) : quality.get(`${runId}\u0000${modelId}`)) ?? [])];
    const now: GateRun | null = counts && { ...counts, warnings };
    // The runs that tested the model before the gate, newest first, grouped as the lifecycle
    // groups them (compare runs excluded), so "clean" means what it means for the working streak.
    const before = runFactsOf(
      mine.filter((item) => item.runId !== runId && item.runStartedAt < run.startedAt),
      () => true,
      (id) => quality.get(`${id}\u0000${modelId}`) ?? [],
    );
    const baselineRun = before.find(vouchesForModel) ?? before[0];
    const baseline = baselineRun === undefined ? null : { predictions: baselineRun.predictions, own: baselineRun.own, clean: vouchesForModel(baselineRun) };
    return { modelId, ...gateVerdict(baseline, now), warnings, unsent };
  });
  const regressions = models.filter((model) => model.verdict === 'regression').map((model) => model.modelId);
  // A gate passes only on what it tested: a model it could not send every fixture to (no key, an
  // open circuit, a budget that ran out partway) leaves it incomplete.
  const untested = models.filter((model) => model.verdict === 'untested' || model.unsent > 0).map((model) => model.modelId);
  const finished = regressions.length > 0 ? 'regressed' : untested.length > 0 ? 'incomplete' : 'passed';
  const status: RegressionReportView['status'] =
    run.status === 'running' ? 'running' : run.status === 'completed' ? finished : 'cancelled';
  return {
    runId,
    change: plan.change,
    status,
    models,
    regressions,
    untested,
    rollback: regressions.length > 0 && gate.previousVersion !== null ? { kind: gate.kind, name: gate.name, toVersion: gate.previousVersion } : null,
  };
}

/**
 * Undoes the change a gate run tested: a new version equal to the one before it (history is never
 * rewritten). Refused when the change has moved on since the gate, so a later edit is never lost.
 */
export function rollbackChange(host: EngineHost, runId: string): { kind: ChangeKind; name: string; version: number; reenabled: string[] } {
  const workspace = host.workspace;
  const gate = new LifecycleRepository(workspace.db).gate(runId);
  if (!gate) throw new NotFoundError(`run ${runId} is not a regression gate`);
  const label = describeChange(gate);
  if (gate.previousVersion === null) throw new InputError(`${label} has no earlier version to roll back to`);
  const latest = latestVersionOf(workspace, gate.kind, gate.name);
  if (latest !== gate.version) {
    throw new InputError(`${gate.kind} ${gate.name} is at v${latest} now, not the v${gate.version} gate ${runId} tested: roll back from its history instead`);
  }
  const note = `rollback of ${label} to v${gate.previousVersion} after regression run ${runId}`;
  const prompts = new PromptRepository(workspace.db);
  let version: number;
  if (gate.kind === 'model') {
    version = rollbackConfig(workspace, gate.name, gate.previousVersion, note);
  } else if (gate.kind === 'variant') {
    const previous = prompts.getVariant(gate.name, gate.previousVersion);
    if (!previous) throw new NotFoundError(`variant ${gate.name} v${gate.previousVersion} is missing`);
    version = prompts.saveVariant(gate.name, previous.text, note);
  } else {
    const task = workspace.fleet.task();
    const previous = prompts.getComponent(task, gate.name, gate.previousVersion);
    if (!previous) throw new NotFoundError(`component ${gate.name} v${gate.previousVersion} is missing`);
    version = prompts.saveComponent(task, gate.name, previous.text, note);
  }
  return { kind: gate.kind, name: gate.name, version, reenabled: reenableDisabledBy(host, runId) };
}

/**
 * A rollback restores the standing of the models the gate tested: one the gate's own failures
 * auto-disabled while it ran (the change broke it) is enabled again. A model disabled before or
 * after the gate, or by the operator, stays as it is.
 */
function reenableDisabledBy(host: EngineHost, runId: string): string[] {
  const run = host.runs.getRun(runId);
  if (!run) return [];
  const reenabled: string[] = [];
  for (const modelId of new Set(run.items.map((item) => item.modelId))) {
    const health = host.state.health(modelId);
    if (!health.disabled || health.disabledAt === null || health.disabledAt < run.startedAt) continue;
    // Disabled by a later run, not by this gate: not the rollback's to undo.
    if (run.finishedAt !== null && health.disabledAt > run.finishedAt) continue;
    if (!health.disabledReason?.startsWith(AUTO_DISABLED)) continue;
    enableModel(host, modelId);
    reenabled.push(modelId);
  }
  return reenabled;
}

/** The newest change (operator-written variant, component or config version) no gate has run. */
export function newestUngatedChange(workspace: Workspace): ResolvedChange | undefined {
  loadPromptCatalog(workspace);
  const lifecycle = new LifecycleRepository(workspace.db);
  const candidates: { at: string; change: ChangeRef }[] = [];
  const rows = lifecycle.operatorChanges(workspace.fleet.task());
  for (const row of rows) {
    if (latestVersionOf(workspace, row.kind, row.name) !== row.version) continue;
    if (!lifecycle.gated(row.kind, row.name, row.version)) candidates.push({ at: row.at, change: row });
  }
  candidates.sort((a, b) => b.at.localeCompare(a.at));
  const newest = candidates[0]?.change;
  return newest ? resolveChange(workspace, newest) : undefined;
}
