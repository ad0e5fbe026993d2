import { InputError } from '../../../src-shared/errors';
import type { ChangeRef } from '../../../src-shared/lifecycle';
import { budgetSummary as summariseBudget } from '../../services/budget-summary';
import { compareView, runCompare } from '../../services/compare';
import { checkConfig, diffConfigVersions, rollbackConfig, saveModelConfigWithWarnings, trialConfigVersion } from '../../services/config-versions';
import { enableModel, fleetStatusView, modelDetail as detailOf, setVerdict } from '../../services/lifecycle';
import { composeForModel, planPromptChange, promptCatalogView, promptHistory, savePromptChange } from '../../services/prompt-edits';
import { planChange, regressionReport, resolveChange, rollbackChange, runRegression } from '../../services/regression';
import { importStatus, STATUS_FILE_NAME, statusFileContent } from '../../services/status-file';
import type { Handler } from '../types';

/**
 * The lifecycle channels: thin adapters over src-main/services (config versions, verdicts, the
 * regression gate, prompt edits, side-by-side runs, budget, model-status.json). Background work
 * goes through `deps.runs`, which answers with the run id as soon as the run exists.
 */

export const fleetStatus: Handler<'fleet.status'> = async (_input, { host }) => fleetStatusView(host.workspace);

export const modelDetail: Handler<'model.detail'> = async (input, { host }) => detailOf(host, input.modelId);

export const modelCheckConfig: Handler<'model.checkConfig'> = async (input, { host }) => {
  const workspace = host.workspace;
  const check = checkConfig(workspace, input.modelId, input.config);
  // A save writes the version after the newest stored one (a trial may sit above the current).
  const next = workspace.fleet.nextConfigVersion(input.modelId);
  return { ...check, plan: planChange(workspace, { kind: 'model', name: input.modelId, version: next }, { problems: check.problems }) };
};

export const modelSaveConfig: Handler<'model.saveConfig'> = async (input, { host }) => {
  const { version, warnings } = saveModelConfigWithWarnings(host.workspace, input.modelId, input.config, input.note);
  return { version, plan: planChange(host.workspace, { kind: 'model', name: input.modelId, version }), warnings };
};

/**
 * A draft tried beside the current config, neither saved as current nor counted toward the
 * model's status or auto-disable: stored as a version of its own, then run side by side.
 */
export const modelTryConfig: Handler<'model.tryConfig'> = async (input, { host, runs, emit }) => {
  const trial = trialConfigVersion(host.workspace, input.modelId, input.config);
  // The model's history gained a version (not current): its page lists it.
  if (trial.created) emit('fleet.changed', { modelIds: [input.modelId] });
  const columns = [trial.current, trial.trial].map((configVersion) => ({ modelId: input.modelId, configVersion }));
  const { runId } = await runs.start('compare', (signal, onEvent) => runCompare(host, columns, input.fixtures, { signal, onEvent }));
  return { runId, version: trial.trial, currentVersion: trial.current };
};

export const modelDiff: Handler<'model.diff'> = async (input, { host }) => diffConfigVersions(host.workspace, input.modelId, input.from, input.to);

export const modelRollback: Handler<'model.rollback'> = async (input, { host }) => ({
  version: rollbackConfig(host.workspace, input.modelId, input.toVersion, input.note),
});

export const modelSetVerdict: Handler<'model.setVerdict'> = async (input, { host, emit }) => {
  setVerdict(host.workspace, input);
  emit('fleet.changed', { modelIds: [input.modelId] });
  return { ok: true };
};

export const modelEnable: Handler<'model.enable'> = async (input, { host, emit }) => {
  enableModel(host, input.modelId);
  emit('fleet.changed', { modelIds: [input.modelId] });
  return { ok: true };
};

export const promptsCatalog: Handler<'prompts.catalog'> = async (_input, { host }) => promptCatalogView(host.workspace);

export const promptsHistory: Handler<'prompts.history'> = async (input, { host }) => promptHistory(host.workspace, input.kind, input.name);

export const promptsCompose: Handler<'prompts.compose'> = async (input, { host }) => composeForModel(host.workspace, input.modelId, input.fixtureId);

export const promptsPlan: Handler<'prompts.plan'> = async (input, { host }) => planPromptChange(host.workspace, input.change);

export const promptsSave: Handler<'prompts.save'> = async (input, { host }) => savePromptChange(host.workspace, input.change, input.note);

export const regressStart: Handler<'regress.start'> = async (input, { host, runs }) => {
  const change: ChangeRef =
    input.change.kind === 'variant'
      ? { kind: 'variant', name: input.change.name }
      : input.change.kind === 'component'
        ? { kind: 'component', name: input.change.key }
        : { kind: 'model', name: input.change.modelId };
  const plan = planChange(host.workspace, resolveChange(host.workspace, change));
  if (plan.tested.length === 0) throw new InputError(`${plan.change} changes no active model's prompt: nothing to test`);
  const { runId } = await runs.start('regression', (signal, onEvent) => runRegression(host, change, { signal, onEvent }));
  return { runId, plan };
};

export const regressReport: Handler<'regress.report'> = async (input, { host }) => regressionReport(host, input.runId);

export const regressRollback: Handler<'regress.rollback'> = async (input, { host, emit }) => {
  const rolledBack = rollbackChange(host, input.runId);
  const changed = [...(rolledBack.kind === 'model' ? [rolledBack.name] : []), ...rolledBack.reenabled];
  if (changed.length > 0) emit('fleet.changed', { modelIds: [...new Set(changed)] });
  return rolledBack;
};

export const compareStart: Handler<'compare.start'> = async (input, { host, runs }) =>
  runs.start('compare', (signal, onEvent) => runCompare(host, input.columns, input.fixtures, { signal, onEvent }));

export const compareGet: Handler<'compare.get'> = async (input, { host }) => compareView(host, input.runId);

export const budgetSummary: Handler<'budget.summary'> = async (input, { host }) => summariseBudget(host, input);

export const statusExport: Handler<'status.export'> = async (_input, { host }) => ({ fileName: STATUS_FILE_NAME, content: statusFileContent(host.workspace) });

export const statusImport: Handler<'status.import'> = async (input, { host, emit }) => {
  const result = importStatus(host.workspace, input.content, { dryRun: input.dryRun });
  if (result.applied) emit('fleet.changed', { modelIds: [...new Set(result.changes.map((change) => change.modelId))] });
  return result;
};
