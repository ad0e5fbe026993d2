import { percentile, rate } from '../../src-shared/lifecycle';
import { runCanary } from './canary';
import type { EngineHost } from './engine-host';
import type { RunEvent } from './run-executor';

export interface SoakOptions {
  /** Model ids, or every active model. */
  models?: readonly string[] | undefined;
  durationMs: number;
  /** Fixtures per model per round. */
  fixtures?: number;
  /** Items in flight: production-like by default (the canary default). */
  concurrency?: number;
  /** Pause between rounds. */
  intervalMs?: number;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
  /** Clock (tests). */
  now?: () => number;
}

export interface SoakRound {
  round: number;
  runId: string;
  startedAt: string;
  predictions: number;
  failed: number;
  failureRate: number | null;
  p50TtftMs: number | null;
  p50LatencyMs: number | null;
  p95LatencyMs: number | null;
  rssMb: number;
  heapUsedMb: number;
}

export interface SoakReport {
  models: string[];
  durationMs: number;
  rounds: SoakRound[];
  /** Last round minus first round: positive means slower (or failing more) as time went on. */
  drift: { p50TtftMs: number | null; p50LatencyMs: number | null; p95LatencyMs: number | null; failureRate: number | null };
  memory: { startRssMb: number; endRssMb: number; peakRssMb: number; growthMb: number };
  totals: { predictions: number; failed: number; failureRate: number | null };
  cancelled: boolean;
}

const mb = (bytes: number) => Math.round((bytes / 1_048_576) * 10) / 10;
const delta = (first: number | null | undefined, last: number | null | undefined) =>
  first === null || first === undefined || last === null || last === undefined ? null : Math.round((last - first) * 10_000) / 10_000;

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * A soak: canaries (kind `soak`) repeated at production-like concurrency until the duration has
 * passed, each round measured on its own (failure rate, time to first token, latency, memory), so
 * drift over time shows: a provider slowing down, failures creeping up, a leak.
 */
export async function runSoak(host: EngineHost, options: SoakOptions): Promise<SoakReport> {
  const now = options.now ?? (() => Date.now());
  const started = now();
  const startRss = process.memoryUsage().rss;
  let peakRss = startRss;
  const rounds: SoakRound[] = [];
  let models: string[] = [];
  do {
    const report = await runCanary(host, {
      kind: 'soak',
      models: options.models,
      fixtures: options.fixtures ?? 3,
      concurrency: options.concurrency ?? 8,
      signal: options.signal,
      onEvent: options.onEvent,
    });
    models = report.models.map((model) => model.modelId);
    const own = host.runs.records({ runId: report.runId }).filter((record) => record.fallbackDepth === 0 && record.attempt > 0);
    const successes = own.filter((record) => record.status === 'success');
    const ttfts = own.map((record) => record.ttftMs).filter((value): value is number => value !== null);
    const memory = process.memoryUsage();
    peakRss = Math.max(peakRss, memory.rss);
    const failed = report.totals.predictions - report.totals.succeeded;
    rounds.push({
      round: rounds.length + 1,
      runId: report.runId,
      startedAt: new Date().toISOString(),
      predictions: report.totals.predictions,
      failed,
      failureRate: rate(failed, report.totals.predictions),
      p50TtftMs: percentile(ttfts, 50),
      p50LatencyMs: percentile(successes.map((record) => record.latencyMs), 50),
      p95LatencyMs: percentile(successes.map((record) => record.latencyMs), 95),
      rssMb: mb(memory.rss),
      heapUsedMb: mb(memory.heapUsed),
    });
    if (report.status !== 'completed') break;
    await pause(options.intervalMs ?? 0, options.signal);
  } while (now() - started < options.durationMs && !options.signal?.aborted);
  const first = rounds[0];
  const last = rounds.at(-1);
  const predictions = rounds.reduce((sum, round) => sum + round.predictions, 0);
  const failed = rounds.reduce((sum, round) => sum + round.failed, 0);
  const endRss = process.memoryUsage().rss;
  return {
    models,
    durationMs: now() - started,
    rounds,
    drift: {
      p50TtftMs: delta(first?.p50TtftMs, last?.p50TtftMs),
      p50LatencyMs: delta(first?.p50LatencyMs, last?.p50LatencyMs),
      p95LatencyMs: delta(first?.p95LatencyMs, last?.p95LatencyMs),
      failureRate: delta(first?.failureRate, last?.failureRate),
    },
    memory: { startRssMb: mb(startRss), endRssMb: mb(endRss), peakRssMb: mb(Math.max(peakRss, endRss)), growthMb: mb(endRss - startRss) },
    totals: { predictions, failed, failureRate: rate(failed, predictions) },
    cancelled: options.signal?.aborted ?? false,
  };
}
