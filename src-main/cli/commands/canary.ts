import { formatUsd } from '../../../src-shared/money';
import {
  DEFAULT_CANARY_CONCURRENCY,
  DEFAULT_CANARY_FIXTURES,
  runCanary,
} from '../../services/canary';
import { loadTaskPack } from '../../services/task-packs';
import { type CliContext, EXIT, resolveDataDir, UsageError, writeJson } from '../context';
import { junitXml } from '../junit';
import { positiveInt } from '../options';
import { checkOutputFile, writeOutputFile } from '../output-file';
import { progressReporter } from '../progress';
import { modelList, selectedModels, withHost } from './lifecycle-shared';

export interface CanaryCliOptions {
  all?: boolean;
  models?: string;
  fixtures?: string;
  concurrency?: string;
  json?: boolean;
  junit?: string;
  resume?: string;
}

export async function runCanaryCommand(
  options: CanaryCliOptions,
  context: CliContext,
): Promise<number> {
  if (options.all && options.models) throw new UsageError('use either --all or --models, not both');
  if (!options.all && !options.models && !options.resume)
    throw new UsageError('choose the models: --all or --models a,b (or --resume RUN)');
  const fixtures = positiveInt(options.fixtures, '--fixtures', DEFAULT_CANARY_FIXTURES);
  const concurrency = positiveInt(options.concurrency, '--concurrency', DEFAULT_CANARY_CONCURRENCY);
  const models = modelList(options.models);
  if (options.junit) checkOutputFile(options.junit);
  const { report, simulatedCount, wallMs } = await withHost(context, async (host, signal) => {
    let selected: string[] | undefined;
    if (!options.resume) {
      selected = selectedModels(host, models);
      const task = loadTaskPack(host.workspace.fleet.task());
      if (options.fixtures !== undefined && fixtures > task.fixtures.length) {
        context.stderr.write(`warning: task ${task.id} has ${task.fixtures.length} fixtures: running all ${task.fixtures.length}, not ${fixtures}\n`);
      }
    }
    const started = performance.now();
    const report = await runCanary(host, {
      models: selected,
      fixtures,
      concurrency,
      signal,
      onEvent: progressReporter(context.stderr, 'canary'),
      resumeRunId: options.resume,
    });
    const wallMs = performance.now() - started;
    // Labelled by the run's own models: a real provider beside the built-in simulator is not simulated.
    const simulatedProviders = new Set(host.workspace.fleet.listProviders().filter((provider) => provider.simulated).map((provider) => provider.id));
    const providerOf = new Map(host.workspace.fleet.listModels().map((model) => [model.id, model.provider]));
    const simulatedCount = report.models.filter((model) => simulatedProviders.has(providerOf.get(model.modelId) ?? '')).length;
    return { report, simulatedCount, wallMs };
  });
  if (options.junit) {
    writeOutputFile(
      options.junit,
      junitXml(
        { name: `fleetdeck canary ${report.runId}`, timeMs: wallMs },
        report.models.map((model) => ({
          name: model.modelId,
          className: 'canary',
          timeMs: (model.p50LatencyMs ?? 0) * model.predictions,
          failure:
            model.succeeded === model.predictions
              ? undefined
              : `${model.predictions - model.succeeded} of ${model.predictions} fixtures unanswered; errors: ${JSON.stringify(model.errors)}`,
        })),
      ),
    );
  }
  if (options.json) {
    writeJson(context.stdout, {
      runId: report.runId,
      // completed, or cancelled by an interrupt (then `canary --resume RUN` sends the rest).
      runStatus: report.status,
      task: report.task,
      models: report.models.map((model) => ({
        modelId: model.modelId,
        status: model.status,
        statusReason: model.statusReason,
        predictions: model.predictions,
        succeeded: model.succeeded,
        viaFallback: model.viaFallback,
        costUsd: model.costUsd,
        unpriced: model.unpriced,
        p50LatencyMs: model.p50LatencyMs === null ? null : Math.round(model.p50LatencyMs * 10) / 10,
        errors: model.errors,
        warnings: model.warnings,
        configVersion: model.configVersion,
      })),
      totals: report.totals,
      // Issue 4: the built-in fleet is labelled as simulated wherever it appears.
      simulated: simulatedCount > 0,
    });
  } else {
    for (const model of report.models) {
      context.stdout.write(
        `${model.modelId.padEnd(40)} ${model.status.padEnd(9)} ${String(model.succeeded).padStart(3)}/${model.predictions}` +
          `${model.viaFallback ? ` (${model.viaFallback} via fallback)` : ''} ${model.costMicros === null ? 'unpriced' : formatUsd(model.costMicros, 6)}` +
          `${Object.keys(model.errors).length ? ` errors ${JSON.stringify(model.errors)}` : ''}\n`,
      );
      // Why, in a line each: the status when it is not plain working, the commonest error's
      // message (a key that is not set, a 404...), and the quality checks that tripped.
      if (model.status !== 'working' && model.statusReason) context.stdout.write(`    ${model.status}: ${model.statusReason}\n`);
      if (model.errorSample) context.stdout.write(`    ${firstLine(model.errorSample)}\n`);
      for (const warning of model.warnings) context.stdout.write(`    warning: ${warning}\n`);
    }
    context.stdout.write(
      `run ${report.runId}: ${report.totals.succeeded}/${report.totals.predictions} predictions, $${report.totals.costUsd.toFixed(6)} of the $${report.totals.budgetUsd} daily budget` +
        `${simulatedCount === 0 ? '' : simulatedCount === report.models.length ? ' (SIMULATED fleet: no real provider was called, costs are simulated)' : ` (${simulatedCount} of ${report.models.length} models SIMULATED: their calls went to the built-in simulator and their costs are simulated)`}\n`,
    );
  }
  if (report.status === 'cancelled') {
    context.stderr.write(`fleetdeck: canary ${report.runId} was interrupted before every item ran; resume it: ${resumeCommand(report.runId, context)}\n`);
  }
  const allAnswered =
    report.status === 'completed' &&
    report.models.every((model) => model.succeeded === model.predictions);
  return allAnswered ? EXIT.ok : EXIT.checkFailed;
}

/** The command that resumes `runId`, with --data-dir only when the default would not find the workspace. */
function resumeCommand(runId: string, context: CliContext): string {
  const dataDir = resolveDataDir(undefined, context.env) === context.dataDir ? '' : ` --data-dir ${shellWord(context.dataDir)}`;
  return `fleetdeck${dataDir} canary --resume ${runId}`;
}

function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}

/** An error message's first line, at most 160 characters: one line of the canary's text output. */
function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? '';
  return line.length > 160 ? `${line.slice(0, 159)}…` : line;
}
