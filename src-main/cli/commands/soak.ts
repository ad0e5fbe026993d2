import { runSoak } from '../../services/soak';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { parseDuration, positiveInt } from '../options';
import { modelList, percentText, selectedModels, withHost } from './lifecycle-shared';

export interface SoakCliOptions {
  duration?: string;
  models?: string;
  fixtures?: string;
  concurrency?: string;
  interval?: string;
  maxFailureRate?: string;
  json?: boolean;
}

/** Repeated canaries for a set time; exit 1 when the failure rate passes --max-failure-rate. */
export async function runSoakCommand(options: SoakCliOptions, context: CliContext): Promise<number> {
  if (!options.duration) throw new UsageError('say how long: --duration 10m');
  const durationMs = parseDuration(options.duration, '--duration', { unit: 'required' });
  const intervalMs = options.interval ? parseDuration(options.interval, '--interval', { unit: 'required' }) : 0;
  const maxFailureRate = options.maxFailureRate === undefined ? 0.1 : Number(options.maxFailureRate);
  if (!Number.isFinite(maxFailureRate) || maxFailureRate < 0 || maxFailureRate > 1) throw new UsageError('--max-failure-rate must be from 0 to 1');
  const fixtures = positiveInt(options.fixtures, '--fixtures', 3, 100);
  const concurrency = positiveInt(options.concurrency, '--concurrency', 8, 200);
  const models = modelList(options.models);
  return withHost(context, async (host, signal) => {
    // Refuses an empty selection up front; each round still selects afresh (a model made inactive
    // during a long soak drops out).
    selectedModels(host, models);
    const report = await runSoak(host, { models, durationMs, intervalMs, fixtures, concurrency, signal });
    if (options.json) writeJson(context.stdout, report);
    else {
      for (const round of report.rounds) {
        context.stdout.write(
          `round ${String(round.round).padStart(3)} ${round.runId}: ${percentText(round.failureRate)} failed, p50 ${round.p50LatencyMs?.toFixed(0) ?? '-'} ms, p95 ${round.p95LatencyMs?.toFixed(0) ?? '-'} ms, ttft p50 ${round.p50TtftMs?.toFixed(0) ?? '-'} ms, rss ${round.rssMb} MB\n`,
        );
      }
      context.stdout.write(
        `drift (last - first): p50 ${report.drift.p50LatencyMs ?? '-'} ms, p95 ${report.drift.p95LatencyMs ?? '-'} ms, ttft ${report.drift.p50TtftMs ?? '-'} ms, failure rate ${report.drift.failureRate ?? '-'}; memory ${report.memory.startRssMb} -> ${report.memory.endRssMb} MB (peak ${report.memory.peakRssMb})\n`,
      );
    }
    return (report.totals.failureRate ?? 0) > maxFailureRate || report.cancelled ? EXIT.checkFailed : EXIT.ok;
  });
}
