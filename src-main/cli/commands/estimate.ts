import { fleetEstimate, passWindowMinutes, setPassWindowMinutes } from '../../services/fleet-estimate';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { positiveInt } from '../options';
import { requireWorkspace } from './lifecycle-shared';

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/** One fleet pass, expected and worst case; --window saves the operator's window. Exit 1 when the worst case passes it. */
export async function runEstimateCommand(options: { window?: string; concurrency?: string; json?: boolean }, context: CliContext): Promise<number> {
  const workspace = requireWorkspace(context);
  try {
    if (options.window !== undefined) {
      const window = Number(options.window);
      if (!Number.isFinite(window) || window <= 0) throw new UsageError(`--window must be minutes above 0 (got "${options.window}")`);
      setPassWindowMinutes(workspace, window);
    }
    const concurrency = positiveInt(options.concurrency, '--concurrency', 8, 1000);
    const estimate = fleetEstimate(workspace, { concurrency });
    if (options.json) writeJson(context.stdout, { windowMinutes: passWindowMinutes(workspace), ...estimate });
    else {
      const cost = (micros: number) => `$${(micros / 1e6).toFixed(4)}`;
      context.stdout.write(`one prediction from ${estimate.models} active models at concurrency ${concurrency}:\n`);
      context.stdout.write(`  expected ${minutes(estimate.expected.wallMs)}, ${cost(estimate.expected.costMicros)}\n`);
      context.stdout.write(`  worst    ${minutes(estimate.worst.wallMs)}, ${cost(estimate.worst.costMicros)} (every retry and fallback to its timeout)\n`);
      for (const provider of estimate.byProvider) {
        context.stdout.write(`  ${provider.provider.padEnd(20)} ${provider.calls} calls over ${provider.maxConcurrency} slots: expected ${minutes(provider.expectedMs)}, worst ${minutes(provider.worstMs)}\n`);
      }
      if (estimate.unpriced.length > 0) context.stdout.write(`  unpriced (not in the cost): ${estimate.unpriced.join(', ')}\n`);
      context.stdout.write(estimate.warning ? `WARNING: ${estimate.warning}\n` : `within the ${minutes(estimate.windowMs)} window\n`);
    }
    return estimate.warning ? EXIT.checkFailed : EXIT.ok;
  } finally {
    workspace.close();
  }
}
