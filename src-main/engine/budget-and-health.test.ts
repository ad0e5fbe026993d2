import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness } from '../../test-support/engine-harness';
import { makeTempDir } from '../../test-support/temp-dir';
import type { EngineHost } from '../services/engine-host';
import { saveModelConfig } from '../services/config-versions';
import { DEFAULT_BREAKER_OPTIONS } from './limits';
import { enableModel } from '../services/lifecycle';
import { runModelCheck } from '../services/model-check';
import { currentModels, executeRun, itemKey } from '../services/run-executor';
import { loadTaskPack } from '../services/task-packs';

const task = loadTaskPack('football-score');
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

function items(modelId: string, count: number, explicit: boolean) {
  return Array.from({ length: count }, (_, index) => {
    const fixture = task.fixtures[index % task.fixtures.length]!;
    return { key: `${itemKey(modelId, [fixture])}/${index}`, modelId, fixtures: [fixture], explicit };
  });
}

/** The call lines of a workspace's log file, parsed (none while the file does not exist yet). */
function loggedCalls<T = Record<string, unknown>>(dataDir: string): T[] {
  const file = path.join(dataDir, 'logs', 'fleetdeck.log');
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.includes('"event":"call"'))
    .map((line) => JSON.parse(line) as T);
}

describe('budget admission', () => {
  it('never lets 50 concurrent calls spend past the daily cap', async () => {
    // Each call reserves about $0.0011 worst case and spends far less: the cap admits some, not all.
    harness = await openHarness({ models: [{ id: 'm', profile: { latency: { ttftMs: 40, ttftSpreadMs: 0, tokensPerSecond: 1000, tokensPerSecondSpread: 0 } }, pricing: { promptPer1M: 1, completionPer1M: 2 } }], budget: { dailyUsd: 0.012 }, latencyScale: 1 });
    const reservations: number[] = [];
    const ledger = harness.host.ledger;
    const reserve = ledger.reserve.bind(ledger);
    ledger.reserve = (runId, modelId, amount) => {
      const admission = reserve(runId, modelId, amount);
      const snapshot = ledger.snapshot();
      reservations.push(snapshot.spent + snapshot.reserved);
      return admission;
    };
    const outcome = await executeRun(harness.host, { kind: 'canary', task, models: currentModels(harness.host), items: items('m', 50, true), concurrency: 50 });
    const succeeded = outcome.results.filter((result) => result.success).length;
    const refused = outcome.results.filter((result) => result.errorClass === 'budget_exceeded').length;
    expect(succeeded + refused).toBe(50);
    expect(refused).toBeGreaterThan(0);
    expect(Math.max(...reservations)).toBeLessThanOrEqual(12_000);
    const spent = harness.host.runs.records({ runId: outcome.runId }).reduce((sum, record) => sum + (record.costMicros ?? 0), 0);
    expect(spent).toBeLessThanOrEqual(12_000);
    expect(ledger.snapshot()).toMatchObject({ spent, reserved: 0 });
    expect(harness.simulator.requestLog()).toHaveLength(succeeded);
  });

  it('counts reservations left open by a crash as spent', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }], budget: { dailyUsd: 1 } });
    const day = new Date().toISOString().slice(0, 10);
    harness.host.state.addReservation({ id: 'crashed:1', runId: 'crashed', modelId: 'm', day, amountMicros: 400_000, createdAt: new Date().toISOString() });
    const { BudgetLedger } = await import('./budget');
    const fresh = new BudgetLedger({ spentSince: (since) => harness!.host.runs.spentSince(since), reservedOn: (d) => harness!.host.state.reservedOn(d), runTotals: () => ({ spent: 0, reserved: 0 }), addReservation: () => {}, removeReservation: () => {}, discardReservations: () => {} }, 1_000_000);
    expect(fresh.snapshot()).toMatchObject({ reserved: 400_000 });
    expect(fresh.reserve('r', 'm', 600_001)).toMatchObject({ ok: false });
    expect(fresh.reserve('r', 'm', 600_000)).toMatchObject({ ok: true });
  });

  it('refuses a call whose reservation cannot be saved, as a result, and sends nothing', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    // A storage failure at the moment of the insert (a real SQLite error, not a mock).
    harness.workspace.db.exec("CREATE TRIGGER refuse_reservations BEFORE INSERT ON budget_reservations BEGIN SELECT RAISE(ABORT, 'storage refused the write'); END");
    const outcome = await executeRun(harness.host, { kind: 'canary', task, models: currentModels(harness.host), items: items('m', 3, true), concurrency: 3 });
    expect(outcome.status).toBe('completed');
    expect(outcome.results.map((result) => result.errorClass)).toEqual(['budget_exceeded', 'budget_exceeded', 'budget_exceeded']);
    expect(outcome.results[0]?.errorMessage).toBe('the budget reservation could not be saved, so the call was not sent: storage refused the write');
    expect(harness.simulator.requestLog()).toHaveLength(0);
    expect(harness.host.runs.records({ runId: outcome.runId }).map((record) => [record.attempt, record.final])).toEqual([
      [0, true],
      [0, true],
      [0, true],
    ]);
    expect(harness.host.ledger.snapshot()).toMatchObject({ reserved: 0, spent: 0 });
  });
  it('keeps the reservation of a call whose record cannot be written open, and saves the other records', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    const refused = task.fixtures[1]!.id;
    harness.workspace.db.exec(`CREATE TRIGGER refuse_record BEFORE INSERT ON call_records WHEN NEW.fixture_id = '${refused}' BEGIN SELECT RAISE(ABORT, 'storage refused the record'); END`);
    const run = executeRun(harness.host, { kind: 'canary', task, models: currentModels(harness.host), items: items('m', 4, true), concurrency: 4 });
    await expect(run).rejects.toThrow('storage refused the record');
    expect(harness.simulator.requestLog()).toHaveLength(4);
    const saved = harness.host.runs.records({});
    expect(saved.map((record) => record.fixtureId).sort()).toEqual([0, 2, 3].map((index) => task.fixtures[index]!.id).sort());
    // The call was sent, and nothing says what it cost: its worst case stays reserved, in the store as in the ledger.
    const open = harness.workspace.db.prepare('SELECT amount_micros AS amount FROM budget_reservations').all() as { amount: number }[];
    expect(open).toHaveLength(1);
    expect(open[0]!.amount).toBeGreaterThan(0);
    expect(harness.host.ledger.snapshot()).toMatchObject({
      reserved: open[0]!.amount,
      spent: saved.reduce((sum, record) => sum + (record.costMicros ?? 0), 0),
    });
  });
  it('gives back the reservations prepared for a run that ended on a thrown error, and its calls in flight still settle', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    let finished = 0;
    const run = executeRun(harness.host, {
      kind: 'canary',
      task,
      models: currentModels(harness.host),
      items: items('m', 6, true),
      concurrency: 3,
      onEvent: (event) => {
        if (event.type === 'item-finished' && ++finished === 1) throw new Error('the progress listener broke');
      },
    });
    await expect(run).rejects.toThrow('the progress listener broke');
    // The two calls still in flight end on their own; then nothing is reserved, in the store or the ledger.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await harness.host.engine.flush();
    expect(harness.simulator.requestLog()).toHaveLength(3);
    expect(harness.workspace.db.prepare('SELECT COUNT(*) AS count FROM budget_reservations').get()).toEqual({ count: 0 });
    expect(harness.host.ledger.snapshot().reserved).toBe(0);
  });
  it('keeps a reservation that cannot be removed open beside its saved record, and the run goes on', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    harness.workspace.db.exec("CREATE TRIGGER keep_reservations BEFORE DELETE ON budget_reservations BEGIN SELECT RAISE(ABORT, 'storage refused the delete'); END");
    const outcome = await executeRun(harness.host, { kind: 'canary', task, models: currentModels(harness.host), items: items('m', 2, true), concurrency: 1 });
    expect(outcome.results.map((result) => result.success)).toEqual([true, true]);
    expect(harness.host.runs.records({ runId: outcome.runId })).toHaveLength(2);
    // Both calls still count at their worst case, in the store as in the ledger: never less than they
    // spent. So does the one reserved ahead for a third call the run never made, which the store
    // would not remove either.
    const open = harness.workspace.db.prepare('SELECT COALESCE(SUM(amount_micros), 0) AS total, COUNT(*) AS count FROM budget_reservations').get() as { total: number; count: number };
    expect(open.count).toBe(3);
    expect(harness.host.ledger.snapshot()).toMatchObject({ reserved: open.total, spent: 0 });
    expect(open.total).toBeGreaterThanOrEqual(outcome.results.reduce((sum, result) => sum + (result.costMicros ?? 0), 0));
  });
});

describe('auto-disable', () => {
  it('enabling a fixed model again closes its circuit, so the canary after the fix tests every fixture', async () => {
    harness = await openHarness({
      models: [{ id: 'fixable', profile: { style: 'prose-only', variants: { JSON_STRICT: { style: 'clean' } } } }],
      // The engine's own default: the circuit opens with the fifth failure, as auto-disable does.
      engineOptions: { breaker: DEFAULT_BREAKER_OPTIONS },
    });
    const { host, workspace } = harness;
    const failing = await executeRun(host, { kind: 'canary', task, models: currentModels(host), items: items('fixable', 6, false), concurrency: 1 });
    expect(failing.results.at(-1)?.errorClass).toBe('disabled');
    const provider = workspace.fleet.getProvider('sim-a')!;
    expect(host.engine.breakerState(provider, 'fixable', 1)).toBe('open');

    saveModelConfig(workspace, 'fixable', { ...workspace.fleet.requireModel('fixable').config, promptVariant: 'JSON_STRICT' }, 'JSON only');
    enableModel(host, 'fixable');
    const sentBefore = harness.simulator.requestLog().length;
    const fixed = await executeRun(host, { kind: 'canary', task, models: currentModels(host), items: items('fixable', 5, true), concurrency: 5 });
    expect(fixed.results.map((result) => result.errorClass)).toEqual([null, null, null, null, null]);
    expect(harness.simulator.requestLog().length - sentBefore).toBe(5);
  });

  it('disables a model after exactly 5 consecutive failed predictions and sends nothing more to it', async () => {
    harness = await openHarness({ models: [{ id: 'bad', profile: { style: 'garbage' } }] });
    const disabled: string[] = [];
    const outcome = await executeRun(harness.host, {
      kind: 'canary',
      task,
      models: currentModels(harness.host),
      items: items('bad', 8, false),
      concurrency: 1,
      onEvent: (event) => {
        if (event.type === 'disabled') disabled.push(event.reason);
      },
    });
    expect(harness.simulator.requestLog()).toHaveLength(5);
    const classes = outcome.results.map((result) => result.errorClass);
    expect(classes.slice(0, 5).every((errorClass) => errorClass === 'parse_error' || errorClass === 'schema_error')).toBe(true);
    expect(classes.slice(5)).toEqual(['disabled', 'disabled', 'disabled']);
    expect(harness.host.state.health('bad')).toMatchObject({ consecutiveFailures: 5, disabled: true, });
    expect(disabled).toEqual([`auto-disabled after 5 consecutive failed predictions (last: ${classes[4]})`]);
  });

  it('never counts past 5 or disables twice when 20 failures land at once', async () => {
    harness = await openHarness({ models: [{ id: 'bad', profile: { style: 'garbage' } }] });
    let disabledEvents = 0;
    await executeRun(harness.host, {
      kind: 'canary',
      task,
      models: currentModels(harness.host),
      items: items('bad', 20, true),
      concurrency: 20,
      onEvent: (event) => {
        if (event.type === 'disabled') disabledEvents++;
      },
    });
    expect(disabledEvents).toBe(1);
    expect(harness.host.state.health('bad')).toMatchObject({ consecutiveFailures: 5, disabled: true });
  });

  it('resets the count on a clean prediction', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    harness.simulator.injectFault({ kind: '401', count: 4, target: { model: 'm' } });
    await executeRun(harness.host, { kind: 'canary', task, models: currentModels(harness.host), items: items('m', 6, false), concurrency: 1 });
    expect(harness.host.state.health('m')).toMatchObject({ consecutiveFailures: 0, disabled: false });
  });
});

describe('the disabled state, re-read before every attempt', () => {
  it('does not call a model again that was disabled while its call waited to retry', async () => {
    let disable = (): void => {};
    harness = await openHarness({
      models: [{ id: 'm', profile: { faults: [{ kind: '503' }] } }],
      engineOptions: {
        // The backoff wait, during which an operator (or another run) disables the model.
        sleep: async () => disable(),
      },
    });
    const state = harness.host.state;
    disable = () => state.setDisabled('m', true, 'operator: drained', new Date().toISOString());
    const outcome = await executeRun(harness.host, { kind: 'canary', task, models: currentModels(harness.host), items: items('m', 1, false), concurrency: 1 });
    expect(harness.simulator.requestLog()).toHaveLength(1);
    expect(outcome.results[0]).toMatchObject({ success: false, errorClass: 'disabled', errorMessage: 'm is disabled: operator: drained', attempts: 1 });
    expect(harness.host.runs.records({ runId: outcome.runId }).map((record) => [record.attempt, record.errorClass, record.final])).toEqual([
      [1, 'overloaded', false],
      [0, 'disabled', true],
    ]);
  });

  it('does not send a call that waited for a concurrency slot while its model was disabled', async () => {
    harness = await openHarness({
      models: [{ id: 'm', profile: { style: 'garbage' } }],
      providers: [{ id: 'sim-a', baseUrl: 'http://127.0.0.1/sim-a/v1', simulated: true, maxConcurrency: 1 }],
      engineOptions: { autoDisableAfter: 1 },
    });
    // Two runs at once: the second one's call queues for the provider's only slot while the
    // first one's failure auto-disables the model.
    const run = () => executeRun(harness!.host, { kind: 'canary', task, models: currentModels(harness!.host), items: items('m', 1, false), concurrency: 1 });
    const [first, second] = await Promise.all([run(), run()]);
    expect(harness.simulator.requestLog()).toHaveLength(1);
    expect(first.results[0]?.errorClass).toMatch(/^(parse|schema)_error$/);
    expect(second.results[0]).toMatchObject({ errorClass: 'disabled', attempts: 0 });
    expect(harness.host.ledger.snapshot().reserved).toBe(0);
  });
});

describe('structured logs', () => {
  it("log every attempt with its record's fields: reply and reasoning excerpts and the parsed value too", async () => {
    harness = await openHarness({ models: [{ id: 'thinker', profile: { style: 'reasoning-field', reasoning: { tokens: 30, spread: 0 } } }] });
    const outcome = await executeRun(harness.host, { kind: 'canary', task, models: currentModels(harness.host), items: items('thinker', 2, true), concurrency: 1 });
    const records = harness.host.runs.records({ runId: outcome.runId });
    const dataDir = harness.dataDir;
    await harness.close({ keepFiles: true });
    harness = undefined;
    try {
      const logged = loggedCalls(dataDir);
      expect(records).toHaveLength(2);
      expect(records[0]?.reasoningExcerpt).not.toBeNull();
      expect(records[0]?.parsedValue).not.toBeNull();
      expect(logged).toEqual(records.map((record) => expect.objectContaining({ event: 'call', ...record })));
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('reach the file within seconds while the engine keeps running, though far less than a buffer was logged', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: { style: 'clean' } }] });
    const outcome = await executeRun(harness.host, { kind: 'canary', task, models: currentModels(harness.host), items: items('m', 1, true), concurrency: 1 });
    const { dataDir } = harness;
    // One line (about 1.5 KiB) stays under the 12 KiB buffer: only the periodic flush writes it.
    const deadline = Date.now() + 5000;
    while (loggedCalls(dataDir).length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(loggedCalls<{ runId: string }>(dataDir).map((line) => line.runId)).toEqual([outcome.runId]);
  });

  it('are written when a process exits without closing its engine host', () => {
    const temp = makeTempDir('fleetdeck-exit-');
    const dataDir = temp.dir;
    try {
      const child = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, '..', '..', 'test-support', 'exit-without-close.ts'), dataDir, 'together/llama-3.3-70b'], {
        encoding: 'utf8',
        timeout: 60_000,
        env: { ...process.env, FLEETDECK_SIMULATOR_LATENCY_SCALE: '0' },
      });
      expect(child.status, child.stderr).toBe(0);
      const runId = child.stdout.trim();
      expect(loggedCalls<{ runId: string }>(dataDir).map((line) => line.runId)).toEqual([runId]);
    } finally {
      temp.cleanup();
    }
  });

  /**
   * A harness whose log file is /dev/full (every write fails with ENOSPC: a full disk), and runs
   * `work` on its host with stderr captured; answers the lines about the log file.
   */
  async function onFullDisk(work: (host: EngineHost) => Promise<void>): Promise<string[]> {
    harness = await openHarness({ models: [{ id: 'm', profile: { style: 'clean' } }] });
    const file = path.join(harness.dataDir, 'logs', 'fleetdeck.log');
    await harness.restart();
    fs.rmSync(file);
    fs.symlinkSync('/dev/full', file);
    const host = await harness.restart();
    const warnings: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      warnings.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    try {
      await work(host);
      // Closing writes what is buffered.
      await harness.restart();
    } finally {
      process.stderr.write = write;
    }
    return warnings.filter((line) => line.includes('log file'));
  }

  it('that cannot be written stop, with one line on stderr, and the engine goes on', async () => {
    const warnings = await onFullDisk(async (host) => {
      // Enough attempts to fill the 12 KiB buffer more than once.
      const outcome = await executeRun(host, { kind: 'canary', task, models: currentModels(host), items: items('m', 30, true), concurrency: 4 });
      expect(outcome.results.every((result) => result.success)).toBe(true);
      expect(host.runs.records({ runId: outcome.runId })).toHaveLength(30);
      host.logger.info({ event: 'after' }, 'a line after the failure is dropped, not thrown');
    });
    expect(warnings).toEqual([expect.stringMatching(/^fleetdeck: the log file .*fleetdeck\.log could not be written \(ENOSPC.*\); logging to it stopped, call records are still saved\n$/)]);
  });

  it('that cannot be written when the host closes do not keep it from closing', async () => {
    // One line stays in the buffer until the close writes it, and that write fails.
    const warnings = await onFullDisk(async (host) => {
      await executeRun(host, { kind: 'canary', task, models: currentModels(host), items: items('m', 1, true), concurrency: 1 });
    });
    expect(warnings).toHaveLength(1);
  });
});

describe('API keys', () => {
  /** A provider that answers every call with `status` and counts the calls it got. */
  async function countingProvider(status: number): Promise<{ url: string; calls: () => number; close: () => void }> {
    let calls = 0;
    const server = http.createServer((request, response) => {
      calls++;
      request.resume();
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ error: { message: 'Incorrect API key provided.' } }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, calls: () => calls, close: () => server.close() };
  }

  /** One model, `keyed`, on a counting provider with these key settings; the provider closes after `work`. */
  async function withKeyedProvider(
    status: number,
    keySettings: { apiKeyEnv?: string; keychainEntry?: string },
    env: NodeJS.ProcessEnv,
    work: (provider: { calls: () => number }) => Promise<void>,
  ): Promise<void> {
    const provider = await countingProvider(status);
    try {
      harness = await openHarness({
        models: [{ id: 'keyed', provider: 'keyed', profile: null }],
        providers: [{ id: 'keyed', baseUrl: provider.url, ...keySettings }],
        env,
      });
      await work(provider);
    } finally {
      provider.close();
    }
  }
  const runKeyed = (count: number, explicit: boolean) =>
    executeRun(harness!.host, { kind: 'canary', task, models: currentModels(harness!.host), items: items('keyed', count, explicit), concurrency: 1 });

  it("sends nothing when a provider's key variable is unset, names the variable, and does not count it against the model", async () => {
    await withKeyedProvider(200, { apiKeyEnv: 'FLEETDECK_TEST_MISSING_KEY' }, {}, async (provider) => {
      const run = await runKeyed(7, false);
      expect(provider.calls()).toBe(0);
      expect(run.results.map((result) => result.errorClass)).toEqual(Array(7).fill('auth'));
      expect(run.results[0]?.errorMessage).toBe('not sent: provider keyed has no API key (environment variable FLEETDECK_TEST_MISSING_KEY is not set)');
      expect(harness!.host.state.health('keyed')).toMatchObject({ consecutiveFailures: 0, disabled: false });
    });
  });

  it('sends nothing for a keychain provider with no key stored, and says where to set one', async () => {
    await withKeyedProvider(200, { keychainEntry: 'fleetdeck-keyed' }, {}, async (provider) => {
      const run = await runKeyed(1, true);
      expect(provider.calls()).toBe(0);
      expect(run.results[0]?.errorMessage).toBe('not sent: provider keyed has no API key (no key stored for it: set one in Settings, Providers)');
    });
  });

  it('checks no served-model list either when the key variable is unset, and says which variable', async () => {
    await withKeyedProvider(200, { apiKeyEnv: 'FLEETDECK_TEST_MISSING_KEY' }, {}, async (provider) => {
      const report = await runModelCheck(harness!.host, { models: ['keyed'] });
      expect(provider.calls()).toBe(0);
      expect(report.ok).toBe(false);
      expect(JSON.stringify(report.providers)).toContain('GET /models not sent: no API key (environment variable FLEETDECK_TEST_MISSING_KEY is not set)');
    });
  });

  it('does not auto-disable a model whose calls are refused for a wrong key (401)', async () => {
    await withKeyedProvider(401, { apiKeyEnv: 'FLEETDECK_TEST_KEY' }, { FLEETDECK_TEST_KEY: 'sk-wrong' }, async (provider) => {
      const run = await runKeyed(7, false);
      // Each item is sent once (auth is never retried), and the seventh still is: nothing disabled it.
      expect(provider.calls()).toBe(7);
      expect(run.results.map((result) => result.errorClass)).toEqual(Array(7).fill('auth'));
      expect(harness!.host.state.health('keyed')).toMatchObject({ consecutiveFailures: 0, disabled: false });
    });
  });

  it('never writes a key to the database or the logs, even when a provider echoes it', async () => {
    const key = 'sk-test-f1eetdeck-SECRET-0123456789';
    // A careless provider that echoes the Authorization header in its errors and replies.
    const echo = http.createServer((request, response) => {
      const auth = String(request.headers.authorization ?? '');
      response.writeHead(request.url?.includes('fail') ? 500 : 200, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          error: { message: `bad key ${auth}` },
          choices: [{ message: { content: `{"homeScore":1,"awayScore":0} ${auth}` }, finish_reason: 'stop' }],
          usage: { prompt_tokens: 10, completion_tokens: 5 },
        }),
      );
    });
    await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
    const port = (echo.address() as AddressInfo).port;
    try {
      harness = await openHarness({
        models: [
          { id: 'echo', provider: 'echo', profile: null },
          { id: 'echo-fail', provider: 'echo-fail', profile: null },
        ],
        providers: [
          { id: 'echo', baseUrl: `http://127.0.0.1:${port}/v1`, apiKeyEnv: 'ECHO_KEY' },
          { id: 'echo-fail', baseUrl: `http://127.0.0.1:${port}/fail/v1`, apiKeyEnv: 'ECHO_KEY' },
        ],
        env: { ECHO_KEY: key },
      });
      const run = await executeRun(harness.host, {
        kind: 'canary',
        task,
        models: currentModels(harness.host),
        items: [...items('echo', 2, true), ...items('echo-fail', 1, true)],
        concurrency: 1,
      });
      expect(run.results[0]?.success).toBe(true);
      const records = harness.host.runs.records({ runId: run.runId });
      expect(records.some((record) => record.replyExcerpt.includes('[redacted]'))).toBe(true);
      expect(records.some((record) => record.errorMessage?.includes('[redacted]'))).toBe(true);
      const dataDir = harness.dataDir;
      await harness.close({ keepFiles: true });
      harness = undefined;
      for (const file of fs.readdirSync(dataDir, { recursive: true }) as string[]) {
        const full = path.join(dataDir, file);
        if (fs.statSync(full).isFile()) expect(fs.readFileSync(full).includes(key), `${file} contains the key`).toBe(false);
      }
      const logged = loggedCalls<{ replyExcerpt?: string }>(dataDir);
      expect(logged).toHaveLength(records.length);
      // The reply excerpt is logged, with the echoed key redacted by value as in the database.
      expect(logged.some((line) => line.replyExcerpt?.includes('[redacted]'))).toBe(true);
      fs.rmSync(dataDir, { recursive: true, force: true });
    } finally {
      echo.close();
    }
  });
});
