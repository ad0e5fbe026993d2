import { describeCoverage } from '../../../src-shared/domain';
import { timeoutTierLabel } from '../../../src-shared/lifecycle';
import { fleetStatus, type TimeoutTierRow } from '../../services/status';
import { openWorkspace, workspaceExists } from '../../services/workspace';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';

/** "31–45 s 100% $0.000120 x4": one timeout tier in a line of text. */
export function tierText(tier: TimeoutTierRow): string {
  const rate = tier.successRate === null ? '-' : `${Math.round(tier.successRate * 1000) / 10}%`;
  const cost = tier.costPerSuccessUsd === null ? '-' : `$${tier.costPerSuccessUsd.toFixed(6)}`;
  return `${timeoutTierLabel(tier.tierMs)} ${rate} ${cost} x${tier.calls}`;
}

export async function runStatus(options: { json?: boolean }, context: CliContext): Promise<number> {
  if (!workspaceExists(context.dataDir)) {
    throw new UsageError(`no workspace in ${context.dataDir}: run "fleetdeck init" or "fleetdeck fleet import FILE" first`);
  }
  const workspace = openWorkspace(context.dataDir);
  try {
    const status = fleetStatus(workspace);
    if (options.json) {
      writeJson(context.stdout, { dataDir: context.dataDir, ...status });
      return EXIT.ok;
    }
    const out = context.stdout;
    const simulatedCount = status.models.filter((model) => model.simulated).length;
    const label =
      simulatedCount === 0
        ? ''
        : simulatedCount === status.models.length
          ? ' (simulated fleet: no real provider is called)'
          : ` (${simulatedCount} of ${status.models.length} models simulated, marked [sim])`;
    out.write(`Task ${status.task}${label}\n`);
    out.write(`${describeCoverage(status.coverage)} (${status.coverage.total} models, ${status.coverage.unfixable} unfixable)\n\n`);
    const rows = status.models.map((model) => [
      model.id,
      model.provider + (model.simulated ? ' [sim]' : ''),
      model.status,
      `v${model.configVersion}`,
      model.promptVariant,
      `${model.timeoutMs / 1000}s`,
      model.fallback ?? '-',
    ]);
    const header = ['MODEL', 'PROVIDER', 'STATUS', 'CONFIG', 'VARIANT', 'TIMEOUT', 'FALLBACK'];
    const widths = header.map((title, column) =>
      Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
    );
    for (const row of [header, ...rows]) {
      out.write(`${row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd()}\n`);
    }
    // Only where there is something to compare: a model tested at more than one timeout tier.
    const tiered = status.models.filter((model) => model.timeoutTiers.length > 1);
    if (tiered.length > 0) {
      out.write('\nBy timeout tier (own success, cost per success, items; every tier in status --json):\n');
      const width = Math.max(...tiered.map((model) => model.id.length));
      for (const model of tiered) out.write(`${model.id.padEnd(width)}  ${model.timeoutTiers.map(tierText).join('   ')}\n`);
    }
    return EXIT.ok;
  } finally {
    workspace.close();
  }
}
