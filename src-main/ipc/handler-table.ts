import { callRequestHandler, listCalls } from './handlers/calls';
import { exportFleetFile, importFleetFile } from './handlers/fleet-file';
import {
  budgetSummary,
  compareGet,
  compareStart,
  fleetStatus,
  modelCheckConfig,
  modelDetail,
  modelDiff,
  modelEnable,
  modelRollback,
  modelSaveConfig,
  modelTryConfig,
  modelSetVerdict,
  promptsCatalog,
  promptsCompose,
  promptsHistory,
  promptsPlan,
  promptsSave,
  regressReport,
  regressRollback,
  regressStart,
  statusExport,
  statusImport,
} from './handlers/lifecycle';
import { listNotifications } from './handlers/notifications';
import { cancelRun, getRun, listRuns, resumeRun, startCanary } from './handlers/runs';
import { clearKey, getSettings, saveBudget, saveProvider, setKey } from './handlers/settings';
import { clearFaults, injectFault, listFaults } from './handlers/simulator';
import type { HandlerTable } from './types';

/**
 * Every contract channel and the plain function that answers it, in one visible block. Both
 * transports (Electron IPC in src-main/app, HTTP in src-main/serve) reach these only through
 * dispatch(), which checks the sender and parses the input first.
 */
export const handlerTable: HandlerTable = {
  'fleet.status': fleetStatus,
  'fleet.export': exportFleetFile,
  'fleet.import': importFleetFile,

  'model.detail': modelDetail,
  'model.checkConfig': modelCheckConfig,
  'model.saveConfig': modelSaveConfig,
  'model.tryConfig': modelTryConfig,
  'model.diff': modelDiff,
  'model.rollback': modelRollback,
  'model.setVerdict': modelSetVerdict,
  'model.enable': modelEnable,
  'calls.list': listCalls,
  'calls.request': callRequestHandler,

  'runs.list': listRuns,
  'runs.get': getRun,
  'runs.startCanary': startCanary,
  'runs.cancel': cancelRun,
  'runs.resume': resumeRun,

  'prompts.catalog': promptsCatalog,
  'prompts.history': promptsHistory,
  'prompts.compose': promptsCompose,
  'prompts.plan': promptsPlan,
  'prompts.save': promptsSave,

  'regress.start': regressStart,
  'regress.report': regressReport,
  'regress.rollback': regressRollback,

  'compare.start': compareStart,
  'compare.get': compareGet,

  'budget.summary': budgetSummary,

  'settings.get': getSettings,
  'settings.saveBudget': saveBudget,
  'settings.saveProvider': saveProvider,
  'settings.setKey': setKey,
  'settings.clearKey': clearKey,

  'status.export': statusExport,
  'status.import': statusImport,

  'notifications.list': listNotifications,

  'simulator.faults': listFaults,
  'simulator.inject': injectFault,
  'simulator.clear': clearFaults,
};
