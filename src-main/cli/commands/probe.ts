import { openEngineHost } from '../../services/engine-host';
import { DEFAULT_PROBE_FIXTURES, runRecoveryProbe } from '../../services/recovery-probe';
import { type CliContext, EXIT, writeJson } from '../context';
import { positiveInt } from '../options';
import { progressReporter } from '../progress';
import { requireWorkspace } from './lifecycle-shared';

/** `fleetdeck probe`: re-test auto-disabled models (for cron); re-enables the ones that answer cleanly. */
export async function runProbeCommand(options: { fixtures?: string; json?: boolean }, context: CliContext): Promise<number> {
  const fixtures = positiveInt(options.fixtures, '--fixtures', DEFAULT_PROBE_FIXTURES, 100);
  const workspace = requireWorkspace(context);
  const host = await openEngineHost(workspace, { env: context.env });
  try {
    const report = await runRecoveryProbe(host, { fixtures, onEvent: progressReporter(context.stderr, 'probe') });
    const probed = report?.models.map((model) => model.modelId) ?? [];
    const reenabled = report?.reenabled ?? [];
    if (options.json) writeJson(context.stdout, { runId: report?.runId ?? null, probed, reenabled });
    else if (!report) context.stdout.write('no disabled models to probe\n');
    else context.stdout.write(`probed ${probed.length} disabled model(s); re-enabled ${reenabled.length}${reenabled.length ? `: ${reenabled.join(', ')}` : ''}\n`);
    return EXIT.ok;
  } finally {
    await host.close();
    workspace.close();
  }
}
