import { fleetEstimate, passWindowMinutes, setPassWindowMinutes } from '../../services/fleet-estimate';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { positiveInt } from '../options';
import { requireWorkspace } from './lifecycle-shared';

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/**
 * One fleet pass, expected and worst case, against the operator's window; `--window` judges this
 * invocation only (the stored window stays) unless `--save` makes it the operator's window.
 * Exit 1 when the worst case passes the window.
 */
export async function runEstimateCommand(options: { window?: string; save?: boolean; concurrency?: string; json?: boolean }, context: CliContext): Promise<number> {
  const workspace = requireWorkspace(context);
  try {
    let window: number | undefined;
    if (options.window !== undefined) {
      window = Number(options.window);
      if (!Number.isFinite(window) || window <= 0) throw new UsageError(`--window must be minutes above 0 (got "${options.window}")`);
    }
    if (options.save) {
      if (window === undefined) throw new UsageError('--save saves the window given with --window MIN');
      setPassWindowMinutes(workspace, window);
    }
    const windowMinutes = window ?? passWindowMinutes(workspace);
    const concurrency = positiveInt(options.concurrency, '--concurrency', 8, 1000);
    const estimate = fleetEstimate(workspace, { concurrency, windowMinutes });
    if (options.json) writeJson(context.stdout, { windowMinutes, ...estimate });
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
