import { runSoak, type SoakReport } from '../../services/soak';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { parseDuration, positiveInt } from '../options';
import { modelList, msText, percentText, selectedModels, withHost } from './lifecycle-shared';

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
    else context.stdout.write(soakText(report));
    return (report.totals.failureRate ?? 0) > maxFailureRate || report.cancelled ? EXIT.checkFailed : EXIT.ok;
  });
}

/** The soak as text: a line per round, then the drift from the first round to the last. */
export function soakText(report: SoakReport): string {
  const rounds = report.rounds.map(
    (round) =>
      `round ${String(round.round).padStart(3)} ${round.runId}: ${percentText(round.failureRate)} failed, p50 ${msText(round.p50LatencyMs)}, p95 ${msText(round.p95LatencyMs)}, ttft p50 ${msText(round.p50TtftMs)}, rss ${round.rssMb} MB\n`,
  );
  const { drift, memory } = report;
  return (
    rounds.join('') +
    `drift (last - first): p50 ${msText(drift.p50LatencyMs)}, p95 ${msText(drift.p95LatencyMs)}, ttft ${msText(drift.p50TtftMs)}, failure rate ${drift.failureRate ?? '-'}; memory ${memory.startRssMb} -> ${memory.endRssMb} MB (peak ${memory.peakRssMb})\n`
  );
}
