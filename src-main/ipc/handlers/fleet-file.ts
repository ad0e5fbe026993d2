import { formatProblem } from '../../../src-shared/domain';
import { usdToMicros } from '../../../src-shared/money';
import { describeImport, exportFleet, type FleetImportResult, importChanges, importFleet } from '../../services/fleet-files';
import { closeCircuit } from '../../services/lifecycle';
import type { Handler } from '../types';

/** Thrown to roll a dry run's transaction back after it computed what it would change. */
class DryRunRollback extends Error {}

export const exportFleetFile: Handler<'fleet.export'> = async (_input, { host }) => ({
  fileName: 'fleet.json',
  content: `${JSON.stringify(exportFleet(host.workspace), null, 2)}\n`,
});

/**
 * Imports a fleet file, all or nothing. A dry run performs the import inside a transaction it
 * then rolls back, so its created/updated/unchanged lists are exactly what a real import does.
 */
export const importFleetFile: Handler<'fleet.import'> = async (input, { host, emit }) => {
  let raw: unknown;
  try {
    raw = JSON.parse(input.content);
  } catch (error) {
    return {
      ok: false,
      problems: [`the file is not valid JSON: ${(error as Error).message}`],
      warnings: [],
      created: [],
      updated: [],
      unchanged: [],
      changed: false,
      summary: '',
    };
  }
  const note = input.dryRun ? 'dry run' : 'imported in the console';
  let result: FleetImportResult | undefined;
  if (input.dryRun) {
    try {
      host.workspace.db.transaction(() => {
        result = importFleet(host.workspace, raw, note, { today: host.ledger.spendToday() });
        throw new DryRunRollback();
      })();
    } catch (error) {
      if (!(error instanceof DryRunRollback)) throw error;
    }
  } else {
    const before = sentAs(host);
    result = importFleet(host.workspace, raw, note, { today: host.ledger.spendToday() });
    if (result.ok) {
      // A model now sent elsewhere (another provider or id, a provider whose settings changed)
      // starts with a closed circuit: the old one's failures say nothing of it. A new config
      // version gets a breaker of its own (ProviderRuntime.breaker); a label or price edit keeps it.
      const after = sentAs(host);
      const providers = new Set(result.providers.updated.map((provider) => provider.id));
      for (const model of host.workspace.fleet.listModels()) {
        if (before.get(model.id) !== after.get(model.id) || providers.has(model.provider)) closeCircuit(host, model.id);
      }
    }
  }
  if (!result) throw new Error('fleet import produced no result');
  if (result.ok && !input.dryRun) {
    host.ledger.setDailyCap(usdToMicros(host.workspace.fleet.budget().dailyUsd));
    emit('fleet.changed', { modelIds: [...result.created, ...result.updated] });
  }
  return {
    ok: result.ok,
    problems: result.problems.map(formatProblem),
    warnings: result.warnings.map(formatProblem),
    created: result.created,
    updated: result.updated,
    unchanged: result.unchanged,
    changed: importChanges(result),
    summary: result.ok ? describeImport(result) : '',
  };
};

/** Where each model is sent: its provider and provider model id. */
function sentAs(host: Parameters<Handler<'fleet.import'>>[1]['host']): Map<string, string> {
  return new Map(host.workspace.fleet.listModels().map((model) => [model.id, `${model.provider}\u0000${model.providerModelId}`]));
}
