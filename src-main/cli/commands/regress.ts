import { CHANGE_NOTATION, type ChangeRef, describeChange, parseChangeRef } from '../../../src-shared/lifecycle';
import { newestUngatedChange, planChange, regressionReport, resolveChange, rollbackChange, runRegression } from '../../services/regression';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { junitXml } from '../junit';
import { positiveInt } from '../options';
import { checkOutputFile, writeOutputFile } from '../output-file';
import { progressReporter } from '../progress';
import { percentText, withHost } from './lifecycle-shared';

export interface RegressCliOptions {
  change?: string;
  rollback?: string;
  fixtures?: string;
  json?: boolean;
  junit?: string;
}

/**
 * The regression gate from the CLI: plans the change by blast radius, shows the plan (stderr),
 * runs it and compares every tested model with its baseline. Exit 1 on any regression, and when
 * a model it was to test was never sent a fixture (incomplete).
 */
export async function runRegressCommand(options: RegressCliOptions, context: CliContext): Promise<number> {
  if (options.rollback !== undefined) {
    if (options.change !== undefined) throw new UsageError('use either --change (run a gate) or --rollback RUN (undo what a gate tested), not both');
    return runRollback(options.rollback, options.json === true, context);
  }
  let requested: ChangeRef | undefined;
  if (options.change !== undefined) {
    const parsed = parseChangeRef(options.change);
    if ('error' in parsed) throw new UsageError(parsed.error);
    requested = parsed;
  }
  const fixtures = positiveInt(options.fixtures, '--fixtures', 5, 100);
  if (options.junit) checkOutputFile(options.junit);
  return withHost(context, async (host, signal) => {
    const change = requested ? resolveChange(host.workspace, requested) : newestUngatedChange(host.workspace);
    if (!change) throw new UsageError(`no change waits for the gate: name one with --change (${CHANGE_NOTATION})`);
    const plan = planChange(host.workspace, change, { fixtures });
    context.stderr.write(
      `plan: ${plan.change} (blast radius ${plan.blastRadius}, seed ${plan.seed}): ${plan.tested.length} models x ${plan.fixtures} fixtures\n` +
        `  affected: ${plan.affected.join(', ') || '-'}\n  sampled:  ${plan.tested.filter((id) => !plan.affected.includes(id)).join(', ') || '-'}\n`,
    );
    const started = performance.now();
    const report = await runRegression(host, change, { fixtures, signal, onEvent: progressReporter(context.stderr, 'regression') });
    const wallMs = performance.now() - started;
    if (options.junit) {
      writeOutputFile(
        options.junit,
        junitXml(
          { name: `fleetdeck regress ${report.runId}: ${report.change}`, timeMs: wallMs },
          report.models.map((model) => ({
            name: model.modelId,
            className: 'regression',
            timeMs: 0,
            failure:
              model.verdict === 'regression'
                ? `regression: ${percentText(model.baselineSuccessRate)} before, ${percentText(model.successRate)} now${model.warnings.length > 0 ? `; ${model.warnings.join('; ')}` : ''}`
                : model.unsent > 0
                  ? `${model.verdict === 'untested' ? 'untested' : 'incomplete'}: ${model.unsent} fixtures refused before they were sent (a missing key, an open circuit or the budget); the gate proves nothing about them`
                  : undefined,
          })),
        ),
      );
    }
    if (options.json) writeJson(context.stdout, { plan, ...report });
    else {
      for (const model of report.models) {
        const warnings = model.warnings.length > 0 ? `  (${model.warnings.join('; ')})` : '';
        context.stdout.write(`${model.modelId.padEnd(40)} ${model.verdict.padEnd(13)} ${percentText(model.baselineSuccessRate).padStart(6)} -> ${percentText(model.successRate)}${warnings}\n`);
      }
      const unsent = report.models.filter((model) => model.unsent > 0).map((model) => `${model.modelId} (${model.unsent})`);
      if (unsent.length > 0) {
        context.stdout.write(`fixtures not sent (a missing key, an open circuit or the budget; see the run's calls): ${unsent.join(', ')}\n`);
      }
      context.stdout.write(`gate ${report.runId}: ${report.change} ${report.status}`);
      context.stdout.write(report.rollback ? `; back to v${report.rollback.toVersion}: fleetdeck regress --rollback ${report.runId}\n` : '\n');
    }
    return report.status === 'passed' ? EXIT.ok : EXIT.checkFailed;
  });
}

/**
 * Undoes the change a gate run tested: a new version equal to the one before it (refused when the
 * change has moved on since the gate). Prints the gate command for the restored version.
 */
async function runRollback(runId: string, json: boolean, context: CliContext): Promise<number> {
  return withHost(context, async (host) => {
    const restored = regressionReport(host, runId).rollback?.toVersion;
    const rolledBack = rollbackChange(host, runId);
    const next = `${rolledBack.kind}:${rolledBack.name}@${rolledBack.version}`;
    if (json) writeJson(context.stdout, { runId, ...rolledBack, restoredVersion: restored ?? null });
    else {
      const label = describeChange(rolledBack);
      context.stdout.write(`${label}${restored === undefined ? '' : ` (equal to v${restored})`}, rolled back after gate ${runId}; gate it: fleetdeck regress --change ${next}\n`);
      if (rolledBack.reenabled.length > 0) context.stdout.write(`re-enabled (the gate's failures had auto-disabled them): ${rolledBack.reenabled.join(', ')}\n`);
    }
    return EXIT.ok;
  });
}
