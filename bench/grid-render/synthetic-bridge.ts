/**
 * The grid bench's stand-in for src-renderer/connect-bridge (swapped in by a Vite alias, so the
 * production bundle never contains it): a BridgePort over 1,000 synthetic models in memory, and
 * `window.__bench` to drive a simulated run and to mount the unvirtualised baseline table.
 */
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import type { ModelStatusName } from '../../src-shared/domain/status';
import type {
  Channel,
  ChannelOutput,
  EventName,
  EventPayload,
  ModelRowView,
  RunView,
} from '../../src-shared/ipc';
import type { BridgePort } from '../../src-renderer/state/bridge-port';
import { createEventBatcher } from '../../src-main/ipc/event-batcher';
import { PlainTable } from './plain-table';

const MODEL_COUNT = Number(new URLSearchParams(window.location.search).get('models') ?? 1000);
const PROVIDERS = [
  'together',
  'fireworks',
  'groq',
  'deepinfra',
  'openrouter',
  'synthetic',
  'lepton',
  'novita',
];
const FAMILIES = [
  'llama',
  'qwen',
  'mistral',
  'deepseek',
  'glm',
  'gemma',
  'kimi',
  'minimax',
  'phi',
  'cogito',
  'nemotron',
  'granite',
];
const STATUSES: ModelStatusName[] = [
  'working',
  'working',
  'working',
  'working',
  'degraded',
  'failing',
  'untested',
  'disabled',
  'inactive',
  'unfixable',
];

let seed = 7;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

const models: ModelRowView[] = Array.from({ length: MODEL_COUNT }, (_, index) => {
  const provider = PROVIDERS[index % PROVIDERS.length] ?? 'together';
  const family = FAMILIES[index % FAMILIES.length] ?? 'llama';
  const status = STATUSES[Math.floor(random() * STATUSES.length)] ?? 'working';
  const calls = status === 'untested' ? 0 : 5 + Math.floor(random() * 200);
  return {
    id: `${provider}/${family}-${(index + 1).toString().padStart(4, '0')}`,
    provider: `sim-${provider}`,
    providerModelId: `${family}-${index + 1}-instruct`,
    family,
    parameterSizeB: [3, 7, 8, 14, 32, 70, 235, 405][index % 8] ?? 8,
    premium: index % 17 === 0,
    active: status !== 'inactive',
    simulated: true,
    status,
    reason:
      status === 'failing'
        ? 'timeout on 4 of 5 calls'
        : status === 'disabled'
          ? '5 consecutive failures: rate_limited'
          : null,
    configVersion: 1 + (index % 4),
    promptVariant:
      ['BASE', 'JSON_STRICT', 'THINKING_STRIPPED', 'ENGLISH_ONLY'][index % 4] ?? 'BASE',
    timeoutMs: [8000, 15000, 30000, 60000][index % 4] ?? 30000,
    fallback:
      index % 5 === 0
        ? `${PROVIDERS[(index + 1) % PROVIDERS.length]}/${FAMILIES[(index + 1) % FAMILIES.length]}-fallback`
        : null,
    unpriced: index % 23 === 0,
    successRate: calls === 0 ? null : Math.round(random() * 1000) / 1000,
    p50LatencyMs: calls === 0 ? null : 200 + Math.floor(random() * 4000),
    costPerSuccessUsd: calls === 0 ? null : Math.round(random() * 10_000) / 1_000_000,
    calls,
    lastValidated: calls === 0 ? null : new Date(Date.now() - random() * 86_400_000).toISOString(),
  };
});

const run: RunView = {
  id: 'bench-run',
  kind: 'canary',
  task: 'football-score',
  status: 'running',
  startedAt: new Date().toISOString(),
  finishedAt: null,
  total: 10_000,
  done: 0,
  succeeded: 0,
  viaFallback: 0,
  failed: 0,
  cancelled: 0,
  costUsd: 0,
  models: models.map((model) => model.id),
  pinnedVersions: {},
};

function fleetView(): ChannelOutput<'fleet.status'> {
  const working = models.filter((model) => model.status === 'working').length;
  const active = models.filter((model) => model.status !== 'inactive').length;
  const unfixable = models.filter((model) => model.status === 'unfixable').length;
  const eligible = active - unfixable;
  const percent = Math.round((working / eligible) * 1000) / 10;
  return {
    task: 'football-score',
    simulated: true,
    coverage: {
      working,
      active,
      unfixable,
      eligible,
      percent,
      total: models.length,
      label: `${working} of ${eligible} active models working, ${percent.toFixed(1)}%`,
    },
    // A copy of every row, as JSON over the wire would be.
    models: models.map((model) => ({ ...model })),
    generatedAt: new Date().toISOString(),
  };
}

const answers: Partial<{ [C in Channel]: () => ChannelOutput<C> }> = {
  'fleet.status': fleetView,
  'runs.list': () => [],
  'runs.get': () => ({ ...run }),
  'notifications.list': () => [],
};

const listeners = new Map<EventName, Set<(payload: never) => void>>();
function emit<E extends EventName>(event: E, payload: EventPayload<E>) {
  for (const listener of listeners.get(event) ?? [])
    (listener as (payload: EventPayload<E>) => void)(payload);
}

export function connectBridge(): BridgePort {
  return {
    async call(channel) {
      const answer = answers[channel] as (() => never) | undefined;
      if (!answer)
        throw {
          error: { code: 'not_found', message: `the bench bridge has no ${channel}`, problems: [] },
        };
      // Yield like a real transport would (a structured-clone / HTTP hop).
      await new Promise((resolve) => setTimeout(resolve, 0));
      return answer();
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  };
}

interface RunOptions {
  calls: number;
  /** How long the simulated run takes, in ms. */
  durationMs: number;
  /** How often main flushes its batched events (ms); 0 = an event per call, no batching. */
  batchMs: number;
}

/** Lands `calls` call results over `durationMs`, batching events as main does; resolves with frame stats. */
async function simulateRun({ calls, durationMs, batchMs }: RunOptions) {
  run.total = calls;
  run.done = 0;
  run.succeeded = 0;
  run.failed = 0;
  const frames: number[] = [];
  let last = performance.now();
  let measuring = true;
  const onFrame = (now: number) => {
    frames.push(now - last);
    last = now;
    if (measuring) requestAnimationFrame(onFrame);
  };
  requestAnimationFrame(onFrame);
  const started = performance.now();
  let landed = 0;
  // Batched, the events go through main's own batcher (src-main/ipc/event-batcher), so the
  // figures move with it; unbatched, each call's events are delivered as they happen.
  const batcher =
    batchMs === 0
      ? undefined
      : createEventBatcher({
          intervalMs: batchMs,
          send: (events) => {
            for (const { event, payload } of events) emit(event, payload);
          },
        });
  const send: typeof emit = (event, payload) =>
    batcher ? batcher.emit(event, payload) : emit(event, payload);
  const report = (modelId: string) => {
    send('fleet.changed', { modelIds: [modelId] });
    send('run.progress', {
      runId: run.id,
      kind: run.kind,
      done: run.done,
      total: run.total,
      succeeded: run.succeeded,
      viaFallback: 0,
      failed: run.failed,
      cancelled: 0,
      costUsd: run.costUsd,
      waiting: null,
      // Calls land on random models to the end: every model has work left until the run ends.
      unfinishedModels: run.models,
    });
  };
  const land = () => {
    const model = models[Math.floor(random() * models.length)];
    if (!model) return;
    const ok = random() > 0.15;
    model.calls += 1;
    model.successRate = Math.round(((model.successRate ?? 0) * 0.9 + (ok ? 0.1 : 0)) * 1000) / 1000;
    model.p50LatencyMs = 200 + Math.floor(random() * 4000);
    model.lastValidated = new Date().toISOString();
    run.done += 1;
    if (ok) run.succeeded += 1;
    else run.failed += 1;
    run.costUsd += 0.0002;
    report(model.id);
  };
  await new Promise<void>((resolve) => {
    const tick = () => {
      const due = Math.min(calls, Math.ceil(((performance.now() - started) / durationMs) * calls));
      while (landed < due) {
        land();
        landed++;
      }
      if (landed >= calls) {
        batcher?.flush();
        batcher?.close();
        resolve();
      } else setTimeout(tick, 4);
    };
    tick();
  });
  // Let the last refresh land and paint.
  await new Promise((resolve) => setTimeout(resolve, 250));
  measuring = false;
  const elapsedMs = performance.now() - started;
  const sorted = [...frames].sort((a, b) => a - b);
  const quantile = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    elapsedMs,
    frames: frames.length,
    frameP50Ms: quantile(0.5),
    frameP99Ms: quantile(0.99),
    frameMaxMs: sorted[sorted.length - 1] ?? 0,
  };
}

/** Mounts every row as a plain React table (no virtualisation) and resolves with its first-render timings. */
function renderPlainTable(): Promise<{ committedMs: number; paintedMs: number }> {
  const container = document.createElement('div');
  container.style.cssText = 'position:fixed;inset:0;overflow:auto;background:var(--bg);z-index:100';
  document.body.append(container);
  return new Promise((resolve) => {
    const start = performance.now();
    createRoot(container).render(
      createElement(PlainTable, {
        rows: fleetView().models,
        onCommitted: () => {
          const committedMs = performance.now() - start;
          requestAnimationFrame(() =>
            setTimeout(() => resolve({ committedMs, paintedMs: performance.now() - start }), 0),
          );
        },
      }),
    );
  });
}

(window as unknown as { __bench: unknown }).__bench = {
  simulateRun,
  renderPlainTable,
  modelCount: MODEL_COUNT,
};
