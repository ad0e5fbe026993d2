import { describe, expect, it, vi } from 'vitest';
import type {
  Channel,
  ChannelInput,
  ChannelOutput,
  EventName,
  EventPayload,
  RunView,
} from '../../src-shared/ipc';
import type { BridgePort } from './bridge-port';
import { FLEET_CHANGED_REFRESH_MS } from './fleet-slice';
import { row } from './test-rows';
import { connectPushEvents } from './push-events';
import { createAppStore } from './store';

/** A bridge whose answers the test sets per channel and whose events the test emits. */
function fakeBridge(
  answers: Partial<{ [C in Channel]: (input: ChannelInput<C>) => ChannelOutput<C> }>,
) {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const calls: { channel: Channel; input: unknown }[] = [];
  const bridge: BridgePort = {
    async call(channel, input) {
      calls.push({ channel, input });
      const answer = answers[channel] as ((input: unknown) => never) | undefined;
      if (!answer) throw { error: { code: 'not_found', message: `no ${channel}`, problems: [] } };
      return answer(input);
    },
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  const emit = <E extends EventName>(event: E, payload: EventPayload<E>) => {
    for (const listener of listeners.get(event) ?? []) listener(payload);
  };
  return {
    bridge,
    emit,
    calls,
    listenerCount: () => [...listeners.values()].reduce((n, set) => n + set.size, 0),
  };
}

const run = (overrides: Partial<RunView> = {}): RunView => ({
  id: 'r1',
  kind: 'canary',
  task: 'football-score',
  status: 'running',
  startedAt: '2026-01-01T00:00:00Z',
  finishedAt: null,
  total: 10,
  done: 0,
  succeeded: 0,
  viaFallback: 0,
  failed: 0,
  cancelled: 0,
  costUsd: 0,
  models: ['m-a'],
  pinnedVersions: { 'm-a': 1 },
  ...overrides,
});

const fleetView = (models = [row('m-a'), row('m-b')]) => ({
  task: 'football-score',
  simulated: true,
  coverage: {
    working: 0,
    active: 2,
    unfixable: 0,
    eligible: 2,
    percent: 0,
    total: 2,
    label: '0 of 2 active models working, 0.0%',
  },
  models,
  generatedAt: '2026-01-01T00:00:00Z',
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('push events', () => {
  it('maps run.progress onto the run and fetches a run it did not know', async () => {
    const fake = fakeBridge({ 'runs.get': () => run({ models: ['m-a', 'm-b'] }) });
    const store = createAppStore(fake.bridge);
    connectPushEvents(fake.bridge, store.getState);
    fake.emit('run.progress', {
      runId: 'r1',
      kind: 'canary',
      done: 1,
      total: 10,
      succeeded: 1,
      viaFallback: 0,
      failed: 0,
      cancelled: 0,
      costUsd: 0.01,
      waiting: null,
      unfinishedModels: ['m-a', 'm-b'],
    });
    await settle();
    expect(fake.calls.map((call) => call.channel)).toEqual(['runs.get']);
    expect(store.getState().runningModels).toEqual({ 'm-a': 'r1', 'm-b': 'r1' });
    fake.emit('run.progress', {
      runId: 'r1',
      kind: 'canary',
      done: 4,
      total: 10,
      succeeded: 3,
      viaFallback: 0,
      failed: 1,
      cancelled: 0,
      costUsd: 0.02,
      waiting: 'backing off after a 429',
      unfinishedModels: ['m-b'],
    });
    expect(store.getState().runsById.r1).toMatchObject({
      done: 4,
      succeeded: 3,
      viaFallback: 0,
      failed: 1,
      cancelled: 0,
      costUsd: 0.02,
    });
    expect(store.getState().progressByRun.r1?.waiting).toBe('backing off after a 429');
    // m-a's items are all done: its row is not running any more, while the run goes on.
    expect(store.getState().runningModels).toEqual({ 'm-b': 'r1' });
  });

  it('does not let an answer fetched before run.finished put the run back to running', async () => {
    // The compare page's race: runs.get is in flight, the run finishes, then the stale answer lands.
    let status: RunView['status'] = 'running';
    const answers: ((value: RunView) => void)[] = [];
    const fake = fakeBridge({ 'runs.get': () => run({ status }) });
    const slowBridge: BridgePort = {
      ...fake.bridge,
      async call(channel, input) {
        const answer = await fake.bridge.call(channel, input);
        if (channel !== 'runs.get') return answer;
        return new Promise((resolve) => answers.push(() => resolve(answer)));
      },
    };
    const store = createAppStore(slowBridge);
    connectPushEvents(slowBridge, store.getState);
    const first = store.getState().loadRun('r1');
    await settle();
    status = 'completed';
    fake.emit('run.finished', { runId: 'r1', kind: 'canary', status: 'completed' });
    answers.shift()?.(run());
    await settle();
    answers.shift()?.(run());
    await first;
    await settle();
    expect(fake.calls.filter((call) => call.channel === 'runs.get')).toHaveLength(2);
    expect(store.getState().runsById.r1?.status).toBe('completed');
    expect(store.getState().runningModels).toEqual({});
  });

  it('follows a burst of fleet.changed with one grid request at once and one at the end of the window', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    try {
      let version = 0;
      const fake = fakeBridge({
        'fleet.status': () => fleetView([row('m-a', { calls: ++version }), row('m-b')]),
      });
      const store = createAppStore(fake.bridge);
      connectPushEvents(fake.bridge, store.getState);
      const requests = () => fake.calls.filter((call) => call.channel === 'fleet.status').length;
      for (let index = 0; index < 50; index++) fake.emit('fleet.changed', { modelIds: ['m-a'] });
      await vi.advanceTimersByTimeAsync(0);
      expect(requests()).toBe(1);
      expect(store.getState().fleetById['m-a']?.calls).toBe(1);
      // A run keeps pushing changes for 2.5 windows: one request per window, the last one pending.
      for (let index = 0; index < 250; index++) {
        fake.emit('fleet.changed', { modelIds: ['m-a'] });
        await vi.advanceTimersByTimeAsync(FLEET_CHANGED_REFRESH_MS / 100);
      }
      expect(requests()).toBe(3);
      await vi.advanceTimersByTimeAsync(FLEET_CHANGED_REFRESH_MS);
      expect(requests()).toBe(4);
      expect(store.getState().fleetById['m-a']?.calls).toBe(4);
      // Quiet again: nothing more is sent, and the next change refreshes at once.
      await vi.advanceTimersByTimeAsync(5 * FLEET_CHANGED_REFRESH_MS);
      expect(requests()).toBe(4);
      fake.emit('fleet.changed', { modelIds: ['m-b'] });
      await vi.advanceTimersByTimeAsync(0);
      expect(requests()).toBe(5);
    } finally {
      vi.useRealTimers();
    }
  });

  it('loads an open model page once more when asked while a load is in flight', async () => {
    let version = 0;
    let release = () => {};
    const firstAnswer = new Promise<void>((resolve) => {
      release = resolve;
    });
    const fake = fakeBridge({
      'model.detail': (async () => {
        const answer = ++version;
        if (answer === 1) await firstAnswer;
        return { answer };
      }) as never,
    });
    const store = createAppStore(fake.bridge);
    const first = store.getState().loadModel('m-a');
    // A change lands while the first answer is on its way: that answer may predate it.
    const second = store.getState().loadModel('m-a');
    release();
    await second;
    expect(fake.calls.filter((call) => call.channel === 'model.detail')).toHaveLength(2);
    expect(store.getState().modelDetails['m-a']).toMatchObject({
      status: 'ready',
      data: { answer: 2 },
    });
    await first;
    expect(fake.calls.filter((call) => call.channel === 'model.detail')).toHaveLength(2);
  });

  it('keeps unchanged rows as the same objects after a refresh', async () => {
    let calls = 0;
    const fake = fakeBridge({
      'fleet.status': () => fleetView([row('m-a', { calls: calls++ }), row('m-b')]),
    });
    const store = createAppStore(fake.bridge);
    await store.getState().loadFleet();
    const before = store.getState().fleetById;
    await store.getState().loadFleet();
    expect(store.getState().fleetById['m-b']).toBe(before['m-b']);
    expect(store.getState().fleetById['m-a']).not.toBe(before['m-a']);
  });

  it('on run.finished of a regression loads its report, the run and the fleet', async () => {
    const fake = fakeBridge({
      'runs.get': () => run({ id: 'r2', kind: 'regression', status: 'completed' }),
      'fleet.status': () => fleetView(),
      'regress.report': () => ({
        runId: 'r2',
        change: 'variant JSON_STRICT v2',
        status: 'regressed',
        models: [],
        regressions: ['m-a'],
        untested: [],
        rollback: null,
      }),
    });
    const store = createAppStore(fake.bridge);
    connectPushEvents(fake.bridge, store.getState);
    fake.emit('run.finished', { runId: 'r2', kind: 'regression', status: 'completed' });
    await settle();
    expect(new Set(fake.calls.map((call) => call.channel))).toEqual(
      new Set(['runs.get', 'regress.report', 'fleet.status']),
    );
    expect(store.getState().regressionReports.r2?.data?.regressions).toEqual(['m-a']);
    expect(store.getState().budgetStale).toBe(true);
  });

  it('turns a notification into a feed entry and a toast, and unsubscribes every event', () => {
    const fake = fakeBridge({});
    const store = createAppStore(fake.bridge);
    const disconnect = connectPushEvents(fake.bridge, store.getState);
    fake.emit('notification', {
      id: 'n1',
      level: 'warning',
      kind: 'model-disabled',
      title: 'glm-4.6 disabled',
      body: '5 failures',
      at: '2026-01-01T00:00:00Z',
    });
    expect(store.getState().notifications.map((n) => n.id)).toEqual(['n1']);
    expect(store.getState().toasts.map((toast) => toast.title)).toEqual(['glm-4.6 disabled']);
    expect(fake.listenerCount()).toBe(4);
    disconnect();
    expect(fake.listenerCount()).toBe(0);
  });
});
