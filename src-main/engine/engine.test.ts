import { afterEach, describe, expect, it } from 'vitest';
import { FAST_ENGINE, type Harness, type HarnessModel, openHarness } from '../../test-support/engine-harness';
import { startScriptedProvider } from '../../test-support/scripted-provider';
import { runCompare } from '../services/compare';
import { openEngineHost } from '../services/engine-host';
import { currentModels, executeRun, itemKey } from '../services/run-executor';
import { loadTaskPack } from '../services/task-packs';
import { fillTemplate } from '../../src-shared/tasks';

const task = loadTaskPack('football-score');
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function setup(models: HarnessModel[], options: Parameters<typeof openHarness>[0] extends infer O ? Omit<O & object, 'models'> : never = {}) {
  harness = await openHarness({ models, ...options });
  return harness;
}

/** Runs `count` fixtures of `modelId` through the engine; explicit = a canary of the model itself. */
async function run(h: Harness, modelId: string, count = 1, options: { explicit?: boolean; concurrency?: number; signal?: AbortSignal } = {}) {
  const fixtures = task.fixtures.slice(0, count);
  return executeRun(h.host, {
    kind: 'canary',
    task,
    models: currentModels(h.host),
    items: fixtures.map((fixture) => ({ key: itemKey(modelId, [fixture]), modelId, fixtures: [fixture], explicit: options.explicit ?? true })),
    concurrency: options.concurrency ?? 1,
    signal: options.signal,
  });
}

const requestsFor = (h: Harness, model: string) => h.simulator.requestLog().filter((entry) => entry.model === model);

describe('engine against the simulator', () => {
  it('records a clean answer with tokens and the cost the usage implies, to the micro-dollar', async () => {
    const h = await setup([{ id: 'm-clean', profile: { style: 'clean' }, pricing: { promptPer1M: 0.9, completionPer1M: 2.7 } }]);
    const outcome = await run(h, 'm-clean', 3);
    expect(outcome.results.map((result) => result.success)).toEqual([true, true, true]);
    const records = h.host.runs.records({ runId: outcome.runId });
    const log = requestsFor(h, 'm-clean');
    expect(records).toHaveLength(3);
    expect(log).toHaveLength(3);
    const expected = log.reduce((sum, entry) => sum + Math.ceil((entry.usage?.prompt_tokens ?? 0) * 0.9 + (entry.usage?.completion_tokens ?? 0) * 2.7), 0);
    expect(records.reduce((sum, record) => sum + (record.costMicros ?? 0), 0)).toBe(expected);
    expect(records[0]).toMatchObject({ status: 'success', final: true, attempt: 1, fallbackDepth: 0, configVersion: 1, promptVariant: 'BASE', errorClass: null, httpStatus: 200 });
    expect(records[0]?.parsedValue).toEqual(expect.objectContaining({ homeScore: expect.any(Number), awayScore: expect.any(Number) }));
    expect(records[0]?.promptTokens).toBe(log[0]?.usage?.prompt_tokens);
    // The parse trace is kept with the attempt, for the console's call detail.
    expect(records[0]?.parseSteps.at(-1)).toMatchObject({ step: 'validate', outcome: 'applied' });
    // A reply that is not streamed arrives whole: it has no time to first token of its own.
    expect(records.map((record) => record.ttftMs)).toEqual([null, null, null]);
  });

  it('streams: keeps time to first token and the usage of the final chunk', async () => {
    const h = await setup([{ id: 'm-stream', profile: { style: 'reasoning-field', reasoning: { tokens: 30, spread: 0 } }, config: { stream: true } }]);
    const outcome = await run(h, 'm-stream');
    const [record] = h.host.runs.records({ runId: outcome.runId });
    expect(record).toMatchObject({ status: 'success', final: true });
    expect(record?.ttftMs).toBeGreaterThan(0);
    expect(record?.reasoningTokens).toBe(requestsFor(h, 'm-stream')[0]?.usage?.reasoning_tokens);
    expect(record?.reasoningExcerpt).not.toBeNull();
  });

  it('does not retry a 404 and names it not_found', async () => {
    const h = await setup([{ id: 'm-gone', profile: { gone: true } }]);
    const outcome = await run(h, 'm-gone');
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'not_found', attempts: 1 });
    expect(requestsFor(h, 'm-gone')).toHaveLength(1);
  });

  it.each([
    ['401', 'auth', 1],
    ['context-length', 'bad_request', 1],
    ['content-policy', 'bad_request', 1],
    ['500', 'server_error', 3],
    ['502', 'server_error', 3],
    ['503', 'overloaded', 3],
    ['529', 'overloaded', 3],
    ['reset', 'network', 3],
  ] as const)('classifies fault %s as %s and sends it %i time(s)', async (kind, errorClass, requests) => {
    const h = await setup([{ id: 'm-fault', profile: { faults: [{ kind }] } }]);
    const outcome = await run(h, 'm-fault');
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass });
    expect(requestsFor(h, 'm-fault')).toHaveLength(requests);
    const records = h.host.runs.records({ runId: outcome.runId });
    expect(records.map((record) => [record.attempt, record.final])).toEqual(
      Array.from({ length: requests }, (_, index) => [index + 1, index === requests - 1]),
    );
  });

  it('retries a transient 503 and succeeds on the next attempt', async () => {
    const h = await setup([{ id: 'm-flaky', profile: {} }]);
    h.simulator.injectFault({ kind: '503', count: 1, target: { model: 'm-flaky' } });
    const outcome = await run(h, 'm-flaky');
    expect(outcome.results[0]).toMatchObject({ success: true, attempts: 2 });
    expect(h.host.runs.records({ runId: outcome.runId }).map((record) => [record.errorClass, record.final])).toEqual([
      ['overloaded', false],
      [null, true],
    ]);
  });

  it.each([
    ['seconds', 1000],
    ['date', 2000],
    ['ms', 300],
  ] as const)('honours Retry-After in the %s form', async (form, ms) => {
    const h = await setup([{ id: 'm-429', profile: {} }]);
    h.simulator.injectFault({ kind: '429', count: 1, retryAfter: { form, ms }, target: { model: 'm-429' } });
    const outcome = await run(h, 'm-429');
    expect(outcome.results[0]).toMatchObject({ success: true, attempts: 2 });
    const [first, second] = requestsFor(h, 'm-429');
    // An HTTP-date has one-second resolution: the simulator's date, now + 2 s cut to the whole
    // second, is more than 1 s after the first request arrived. Ignoring it, the retry would
    // follow within the 20 ms backoff.
    const floor = form === 'date' ? ms - 1000 : ms;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(floor - 5);
    expect(h.host.runs.records({ runId: outcome.runId })[0]?.errorClass).toBe('rate_limited');
  });

  it('sends a call to its fallback instead of sleeping past the Retry-After cap', async () => {
    const h = await setup([
      { id: 'm-throttled', profile: { faults: [{ kind: '429', retryAfter: { form: 'seconds', ms: 30_000 } }] }, config: { fallback: 'm-backup' } },
      { id: 'm-backup', profile: {} },
    ]);
    const started = Date.now();
    const outcome = await run(h, 'm-throttled');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(outcome.results[0]).toMatchObject({ success: true, actualModel: 'm-backup', depth: 1 });
    expect(requestsFor(h, 'm-throttled')).toHaveLength(1);
    const records = h.host.runs.records({ runId: outcome.runId });
    expect(records[0]?.errorMessage).toContain('over the 2500 ms cap');
    expect(records[1]).toMatchObject({ intendedModel: 'm-throttled', actualModel: 'm-backup', fallbackDepth: 1 });
    expect(records[1]?.fallbackReason).toContain('m-throttled: rate_limited');
  });

  it('times out a hanging provider at the configured deadline', async () => {
    const h = await setup([{ id: 'm-hang', profile: { faults: [{ kind: 'hang' }] }, config: { timeoutMs: 1_000 } }], {
      engineOptions: { retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } },
    });
    const started = Date.now();
    const outcome = await run(h, 'm-hang');
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'timeout' });
    expect(outcome.results[0]?.errorMessage).toBe('no complete reply within 1000 ms (not retried: 1 of 1 attempts used)');
  });

  it("times out a stream whose first token is later than the model's first-token deadline, and says which deadline", async () => {
    const h = await setup(
      [{ id: 'm-slow-start', profile: { faults: [{ kind: 'slow-first-token', delayMs: 4_000 }] }, config: { stream: true, timeoutMs: 5_000, firstTokenTimeoutMs: 1_000 } }],
      { engineOptions: { retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } } },
    );
    const started = Date.now();
    const outcome = await run(h, 'm-slow-start');
    expect(Date.now() - started).toBeGreaterThanOrEqual(990);
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'timeout' });
    expect(outcome.results[0]?.errorMessage).toBe(
      "first-token deadline: no first token within 1000 ms (the call's deadline is 5000 ms) (not retried: 1 of 1 attempts used)",
    );
  });

  it('does not count a stream without finish_reason as a success, and keeps the partial text', async () => {
    const h = await setup([{ id: 'm-cut', profile: { faults: [{ kind: 'missing-finish-reason' }] }, config: { stream: true } }], {
      engineOptions: { retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } },
    });
    const outcome = await run(h, 'm-cut');
    const [record] = h.host.runs.records({ runId: outcome.runId });
    expect(record).toMatchObject({ status: 'failure', errorClass: 'stream_truncated' });
    expect(record?.replyLength).toBeGreaterThan(0);
  });

  it('keeps the worst case of a billed attempt without usage on its record, so a restart still counts it as spent', async () => {
    const h = await setup([{ id: 'm-cut', profile: { faults: [{ kind: 'cut' }] }, config: { stream: true } }], {
      engineOptions: { retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } },
    });
    const outcome = await run(h, 'm-cut');
    expect(outcome.results[0]).toMatchObject({ errorClass: 'stream_truncated', costUnknown: true, costMicros: undefined });
    const [record] = h.host.runs.records({ runId: outcome.runId });
    expect(record).toMatchObject({ httpStatus: 200, promptTokens: null, costMicros: null });
    const estimate = record?.estimatedCostMicros ?? 0;
    expect(estimate).toBeGreaterThan(0);
    expect(h.host.ledger.snapshot()).toMatchObject({ spent: estimate, reserved: 0 });
    // A fresh process reads the day's spend back from the records.
    const restarted = await openEngineHost(h.workspace, { simulator: h.simulator, logToFile: false });
    try {
      expect(restarted.ledger.snapshot()).toMatchObject({ spent: estimate, reserved: 0 });
    } finally {
      await restarted.close();
    }
  });

  it("counts a billed attempt without usage at its own worst case, when it took a larger reservation prepared for the model's calls", async () => {
    const h = await setup(
      [{ id: 'm-cut', profile: { faults: [{ kind: 'cut' }] }, config: { stream: true }, pricing: { promptPer1M: 100, completionPer1M: 1 } }],
      { engineOptions: { retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } } },
    );
    // The longest prompt first: the reservation prepared by its call holds its worst case, and the shorter one's call takes it.
    const byLength = [...task.fixtures].sort((a, b) => fillTemplate(task, [b]).length - fillTemplate(task, [a]).length);
    const fixtures = [byLength[0]!, byLength.at(-1)!];
    const outcome = await executeRun(h.host, {
      kind: 'canary',
      task,
      models: currentModels(h.host),
      items: fixtures.map((fixture) => ({ key: itemKey('m-cut', [fixture]), modelId: 'm-cut', fixtures: [fixture], explicit: true })),
      concurrency: 1,
    });
    const [longer, shorter] = h.host.runs.records({ runId: outcome.runId });
    expect(longer?.estimatedCostMicros).toBeGreaterThan(shorter?.estimatedCostMicros ?? Number.POSITIVE_INFINITY);
    expect(h.host.ledger.snapshot()).toMatchObject({ spent: (longer?.estimatedCostMicros ?? 0) + (shorter?.estimatedCostMicros ?? 0), reserved: 0 });
  });

  it('classifies a stream cut mid-way as stream_truncated', async () => {
    const h = await setup([{ id: 'm-cut', profile: { faults: [{ kind: 'cut' }] }, config: { stream: true } }], {
      engineOptions: { retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } },
    });
    const outcome = await run(h, 'm-cut');
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'stream_truncated' });
  });

  it('times out a stream that stalls between chunks', async () => {
    const h = await setup([{ id: 'm-stall', profile: { faults: [{ kind: 'stall', delayMs: 5_000 }] }, config: { stream: true, timeoutMs: 4_000 } }], {
      engineOptions: { retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 }, idleTimeoutMs: 300 },
    });
    const outcome = await run(h, 'm-stall');
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'timeout' });
    expect(outcome.results[0]?.errorMessage).toMatch(/^stream stalled: no chunk for 300 ms/);
  });

  it('classifies unreadable replies: parse_error, and does not retry them', async () => {
    const h = await setup([{ id: 'm-garbage', profile: { style: 'garbage' } }]);
    const outcome = await run(h, 'm-garbage');
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'parse_error', attempts: 1 });
  });

  it('classifies a reasoning model that thinks past max_tokens as empty_response, against the simulator', async () => {
    const h = await setup([{ id: 'm-overthinks', profile: { style: 'think-block', reasoning: { tokens: 800, spread: 0 } }, config: { maxTokens: 200 } }]);
    const outcome = await run(h, 'm-overthinks');
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'empty_response', attempts: 1 });
    const [request] = requestsFor(h, 'm-overthinks');
    expect(request).toMatchObject({ finishReason: 'length', usage: expect.objectContaining({ completion_tokens: 200 }) });
    expect(h.host.runs.records({ runId: outcome.runId })[0]?.reasoningExcerpt).not.toBeNull();
  });

  it('classifies JSON with the wrong fields as schema_error under the strict handler, against the simulator', async () => {
    const h = await setup([{ id: 'm-snake', profile: { style: 'snake-case' }, config: { responseHandler: 'strict' } }]);
    const outcome = await run(h, 'm-snake');
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'schema_error', attempts: 1 });
    expect(outcome.results[0]?.errorMessage).toContain('homeScore');
    expect(requestsFor(h, 'm-snake')).toHaveLength(1);
    expect(h.host.runs.records({ runId: outcome.runId })[0]?.replyExcerpt).toContain('home_score');
  });

  it('classifies an empty reply as empty_response and valid JSON of the wrong schema as schema_error', async () => {
    const scripted = await startScriptedProvider({ 'says-nothing': '', 'wrong-schema': '{"winner": "home", "confidence": 0.8}' });
    try {
      const h = await setup(
        [
          { id: 'says-nothing', provider: 'scripted', profile: null },
          { id: 'wrong-schema', provider: 'scripted', profile: null },
        ],
        { providers: [{ id: 'scripted', baseUrl: scripted.baseUrl }] },
      );
      expect((await run(h, 'says-nothing')).results[0]).toMatchObject({ success: false, errorClass: 'empty_response', attempts: 1 });
      const wrong = (await run(h, 'wrong-schema')).results[0];
      expect(wrong).toMatchObject({ success: false, errorClass: 'schema_error', attempts: 1 });
      expect(wrong?.errorMessage).toContain('homeScore');
      expect(scripted.requests()).toBe(2);
    } finally {
      await scripted.close();
    }
  });

  it('refuses a call the budget cannot admit, without sending it', async () => {
    const h = await setup([{ id: 'm-dear', profile: {}, pricing: { promptPer1M: 1000, completionPer1M: 1000 } }], { budget: { dailyUsd: 0.01 } });
    const outcome = await run(h, 'm-dear');
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'budget_exceeded' });
    expect(requestsFor(h, 'm-dear')).toHaveLength(0);
    expect(h.host.runs.records({ runId: outcome.runId })[0]).toMatchObject({ attempt: 0, final: true });
  });

  it('opens the circuit after repeated failures and refuses calls while it is open', async () => {
    const h = await setup([{ id: 'm-down', profile: { faults: [{ kind: '500' }] } }], {
      engineOptions: { breaker: { failureThreshold: 3, cooldownMs: 60_000 }, retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } },
    });
    const outcome = await run(h, 'm-down', 5);
    expect(outcome.results.map((result) => result.errorClass)).toEqual(['server_error', 'server_error', 'server_error', 'circuit_open', 'circuit_open']);
    expect(requestsFor(h, 'm-down')).toHaveLength(3);
  });

  it('sends every cell of a compare run past the circuit breaker, for each column of the same model', async () => {
    const h = await setup([{ id: 'm-down', profile: { faults: [{ kind: '500' }] } }], {
      engineOptions: { breaker: { failureThreshold: 3, cooldownMs: 60_000 }, retry: { ...FAST_ENGINE.retry!, maxAttempts: 1 } },
    });
    const view = await runCompare(h.host, [{ modelId: 'm-down' }, { modelId: 'm-down', promptVariant: 'JSON_STRICT' }], 10, { concurrency: 1 });
    expect(view.rows).toHaveLength(10);
    expect(requestsFor(h, 'm-down')).toHaveLength(20);
    expect(new Set(view.rows.flatMap((row) => row.cells.map((cell) => cell?.errorClass)))).toEqual(new Set(['server_error']));
    // The failures still count for other work: a canary of the model finds its circuit open.
    expect((await run(h, 'm-down')).results[0]).toMatchObject({ errorClass: 'circuit_open' });
  });

  it('treats 429s as throttling: they never open the circuit', async () => {
    const h = await setup([{ id: 'm-busy', profile: { faults: [{ kind: '429', retryAfter: { form: 'ms', ms: 1 } }] } }], {
      engineOptions: { breaker: { failureThreshold: 2, cooldownMs: 60_000 }, retry: { ...FAST_ENGINE.retry!, maxAttempts: 2 } },
    });
    const outcome = await run(h, 'm-busy', 4);
    expect(outcome.results.map((result) => result.errorClass)).toEqual(['rate_limited', 'rate_limited', 'rate_limited', 'rate_limited']);
    expect(requestsFor(h, 'm-busy')).toHaveLength(8);
    expect(h.host.state.health('m-busy').consecutiveFailures).toBe(0);
  });

  it('cancels: an aborted run sends nothing more', async () => {
    const h = await setup([{ id: 'm-slow', profile: { faults: [{ kind: 'hang' }] }, config: { timeoutMs: 10_000 } }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const outcome = await run(h, 'm-slow', 3, { signal: controller.signal, concurrency: 1 });
    expect(outcome.status).toBe('cancelled');
    expect(outcome.results.map((result) => result.errorClass)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect(requestsFor(h, 'm-slow')).toHaveLength(1);
  });
});
