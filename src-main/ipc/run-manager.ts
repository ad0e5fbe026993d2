import { setMaxListeners } from 'node:events';
import type { EventName, EventPayload } from '../../src-shared/ipc';
import { displayUsd, microsToUsd } from '../../src-shared/money';
import type { RunEvent } from '../services/run-executor';
import type { NotificationFeedLike, RunManagerLike } from './types';

type FeedEntry = Parameters<NotificationFeedLike['push']>[0];

export interface RunManagerDeps {
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  notifications: NotificationFeedLike;
  /** Called after each finished item (the budget watch). */
  afterItem?: () => void;
  /** A run whose work threw after it started: mark it failed in storage. */
  markFailed?: (runId: string) => void;
  onError?: (runId: string | undefined, error: unknown) => void;
}

interface Progress {
  runId: string;
  kind: string;
  done: number;
  total: number;
  succeeded: number;
  viaFallback: number;
  failed: number;
  cancelled: number;
  costMicros: number;
  waiting: string | null;
  /** Items still to finish per (intended) model: a model leaves it when its last item ends. */
  unfinished: Map<string, number>;
  /** A resumed run: items its earlier sessions decided (the run's events count only the rest). */
  decidedBefore: number;
  /** Failed items the budget refused (never sent): the feed names the budget as the reason. */
  budgetRefused: number;
}

interface Tracked {
  controller: AbortController;
  progress: Progress | undefined;
  settled: Promise<void>;
  running: boolean;
  /** The work has not returned yet: what it returns may still warn about the run. */
  working: boolean;
  /**
   * The run's "completed" info line, held until its work returns: a result that warns about the
   * run (a regression gate that regressed or is incomplete) stands instead of it.
   */
  heldInfo: FeedEntry | undefined;
}

/**
 * Runs the console's work in the background: each run gets an AbortController (cancel), its
 * RunEvents become `run.progress` / `run.finished` / `fleet.changed` push events, and the feed
 * hears about finished runs, auto-disabled models and regressions found.
 */
export class RunManager implements RunManagerLike {
  private readonly runs = new Map<string, Tracked>();

  constructor(private readonly deps: RunManagerDeps) {}

  start(
    kind: string,
    work: (signal: AbortSignal, onEvent: (event: RunEvent) => void) => Promise<unknown>,
  ): Promise<{ runId: string }> {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    return new Promise((resolve, reject) => {
      // Work may report run-started synchronously, before `settled` below is assigned.
      const entry: Tracked = {
        controller,
        progress: undefined,
        settled: Promise.resolve(),
        running: true,
        working: true,
        heldInfo: undefined,
      };
      let tracked: Tracked | undefined;
      let runId: string | undefined;
      const onEvent = (event: RunEvent): void => {
        if (event.type === 'run-started' && runId === undefined) {
          runId = event.runId;
          tracked = entry;
          this.runs.set(runId, entry);
          resolve({ runId });
        }
        if (tracked) this.apply(tracked, kind, event);
      };
      entry.settled = (async () => {
        try {
          const result = await work(controller.signal, onEvent);
          if (runId === undefined) {
            reject(new Error(`the ${kind} run ended before it started`));
            return;
          }
          const warned = this.notifyRegressions(kind, runId, result);
          if (tracked?.heldInfo && !warned) this.deps.notifications.push(tracked.heldInfo);
        } catch (error) {
          if (runId === undefined) {
            reject(error);
            return;
          }
          this.deps.onError?.(runId, error);
          this.deps.markFailed?.(runId);
          if (tracked?.running) this.finish(tracked, kind, runId, 'failed');
          // Finished, then failed before answering: stored as failed, so the feed says failed too.
          else if (tracked?.heldInfo) this.deps.notifications.push(this.finishedEntry(tracked, kind, runId, 'failed'));
        } finally {
          if (tracked) {
            tracked.running = false;
            tracked.working = false;
            tracked.heldInfo = undefined;
          }
        }
      })();
    });
  }

  cancel(runId: string): boolean {
    const tracked = this.runs.get(runId);
    if (!tracked?.running) return false;
    tracked.controller.abort();
    return true;
  }

  isRunning(runId: string): boolean {
    return this.runs.get(runId)?.running ?? false;
  }

  settled(runId: string): Promise<void> {
    return this.runs.get(runId)?.settled ?? Promise.resolve();
  }

  /** Cancels every running run and waits for all of them (shutdown). */
  async close(): Promise<void> {
    for (const tracked of this.runs.values()) if (tracked.running) tracked.controller.abort();
    await Promise.all([...this.runs.values()].map((tracked) => tracked.settled));
  }

  /** The live figures of a running (or recently finished) run. */
  progress(runId: string): EventPayload<'run.progress'> | undefined {
    const progress = this.runs.get(runId)?.progress;
    return progress ? toPayload(progress) : undefined;
  }

  private apply(tracked: Tracked, kind: string, event: RunEvent): void {
    const { emit } = this.deps;
    switch (event.type) {
      case 'run-started': {
        // A resumed run counts on from what it had, as its stored view does: never 0 of the rest.
        const earlier = event.earlier ?? { done: 0, succeeded: 0, viaFallback: 0, costMicros: 0 };
        tracked.progress = {
          runId: event.runId,
          kind: event.kind,
          done: earlier.done,
          total: earlier.done + event.total,
          succeeded: earlier.succeeded,
          viaFallback: earlier.viaFallback,
          failed: earlier.done - earlier.succeeded,
          cancelled: 0,
          costMicros: earlier.costMicros,
          waiting: null,
          unfinished: new Map(Object.entries(event.itemsByModel ?? {})),
          decidedBefore: earlier.done,
          budgetRefused: 0,
        };
        emit('run.progress', toPayload(tracked.progress));
        return;
      }
      case 'item-finished': {
        const progress = tracked.progress;
        if (!progress) return;
        progress.done = progress.decidedBefore + event.done;
        progress.total = progress.decidedBefore + event.total;
        if (event.result.success) {
          progress.succeeded++;
          if (event.result.depth > 0) progress.viaFallback++;
        }
        else if (event.result.errorClass === 'cancelled') progress.cancelled++;
        else {
          progress.failed++;
          if (event.result.errorClass === 'budget_exceeded') progress.budgetRefused++;
        }
        // Each attempt's recorded cost, as the Runs view sums them: an item whose cost is partly
        // unknown still counts the attempts whose cost is known.
        for (const record of event.result.records) progress.costMicros += record.costMicros ?? 0;
        progress.waiting = null;
        const left = (progress.unfinished.get(event.result.intendedModel) ?? 1) - 1;
        if (left > 0) progress.unfinished.set(event.result.intendedModel, left);
        else progress.unfinished.delete(event.result.intendedModel);
        emit('run.progress', toPayload(progress));
        emit('fleet.changed', {
          modelIds: [...new Set([event.result.intendedModel, event.result.actualModel])],
        });
        this.deps.afterItem?.();
        return;
      }
      case 'waiting':
        if (!tracked.progress) return;
        tracked.progress.waiting = `${event.modelId}: ${event.reason}`;
        emit('run.progress', toPayload(tracked.progress));
        return;
      case 'disabled':
        emit('fleet.changed', { modelIds: [event.modelId] });
        this.deps.notifications.push({
          level: 'warning',
          kind: 'model-disabled',
          title: `${event.modelId} was disabled`,
          body: event.reason,
        });
        return;
      case 'run-finished':
        this.finish(tracked, tracked.progress?.kind ?? kind, event.runId, event.status);
        return;
      default:
        return;
    }
  }

  private finish(tracked: Tracked, kind: string, runId: string, status: string): void {
    tracked.running = false;
    const progress = tracked.progress;
    if (progress) {
      progress.waiting = null;
      this.deps.emit('run.progress', toPayload(progress));
    }
    this.deps.emit('run.finished', { runId, kind, status });
    const entry = this.finishedEntry(tracked, kind, runId, status);
    if (entry.level === 'info' && tracked.working) tracked.heldInfo = entry;
    else this.deps.notifications.push(entry);
  }

  private finishedEntry(tracked: Tracked, kind: string, runId: string, status: string): FeedEntry {
    const progress = tracked.progress;
    const figures = progress
      ? `: ${progress.succeeded} of ${progress.total} succeeded${progress.viaFallback > 0 ? ` (${progress.viaFallback} by a fallback model)` : ''}, ${progress.failed} failed${progress.budgetRefused > 0 ? ` (${progress.budgetRefused} refused by the budget: its daily or run cap, see Settings)` : ''}${progress.cancelled > 0 ? `, ${progress.cancelled} cancelled` : ''}, ${displayUsd(microsToUsd(progress.costMicros))}`
      : '';
    // A run that completed without one answer is worth a look, not an info line.
    const nothingAnswered = progress !== undefined && progress.succeeded === 0 && progress.failed > 0;
    return {
      level: status === 'completed' && !nothingAnswered ? 'info' : status === 'failed' ? 'error' : 'warning',
      kind: 'run-finished',
      title: `${capitalise(kind)} run ${status}${status === 'completed' && nothingAnswered ? ': nothing answered' : ''}`,
      body: `${runId}${figures}`,
    };
  }

  /**
   * A regression run whose report names regressions, or leaves the gate incomplete, tells the
   * feed (the gate's whole point). True when it posted: the run then gets no "completed" info line.
   */
  private notifyRegressions(kind: string, runId: string, result: unknown): boolean {
    if (kind !== 'regression' || typeof result !== 'object' || result === null) return false;
    const regressions = (result as { regressions?: unknown }).regressions;
    const untested = (result as { untested?: unknown }).untested;
    const change = (result as { change?: unknown }).change;
    const changeText = typeof change === 'string' ? ` of ${change}` : '';
    // An incomplete gate (fixtures refused before sending) proved nothing about those models: said
    // as a warning, so the feed never reads it as a pass.
    const status = (result as { status?: unknown }).status;
    let posted = false;
    if (status === 'incomplete' && Array.isArray(untested) && untested.length > 0) {
      posted = true;
      this.deps.notifications.push({
        level: 'warning',
        kind: 'regression',
        title: `Regression gate${changeText} incomplete`,
        body: `${runId}: not every fixture was sent to ${untested.slice(0, 10).join(', ')}${untested.length > 10 ? ', …' : ''} (refused before sending: a missing key, an open circuit, the budget)`,
      });
    }
    if (!Array.isArray(regressions) || regressions.length === 0) return posted;
    this.deps.notifications.push({
      level: 'error',
      kind: 'regression',
      title: `Regression found${typeof change === 'string' ? ` in ${change}` : ''}`,
      body: `${runId}: ${regressions.length} model(s) got worse: ${regressions.slice(0, 10).join(', ')}${regressions.length > 10 ? ', …' : ''}`,
    });
    return true;
  }
}

function toPayload(progress: Progress): EventPayload<'run.progress'> {
  const { costMicros, unfinished, decidedBefore: _decidedBefore, budgetRefused: _budgetRefused, ...rest } = progress;
  return { ...rest, costUsd: microsToUsd(costMicros), unfinishedModels: [...unfinished.keys()].sort() };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
