import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callRecord } from '../../test-support/call-record';
import { type ConsoleHarness, openConsoleHarness } from '../../test-support/console-harness';
import { SAMPLE_MODEL, VALID_INPUTS } from '../../test-support/ipc-samples';
import { CHANNELS, type CallResult, type Channel } from '../../src-shared/ipc';
import { dispatch, type Sender } from './dispatch';
import { handlerTable } from './handler-table';

const console_: Sender = { url: 'http://127.0.0.1/', trusted: () => true };
const STORED_KEY = 'sk-stored-9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const ENV_KEY = 'sk-env-0a1b2c3d4e5f60718293a4b5c6d7e8f9';

/** The key, or any 12-character piece of it, anywhere in `text`. */
function leaks(text: string, key: string): boolean {
  for (let start = 0; start + 12 <= key.length; start++)
    if (text.includes(key.slice(start, start + 12))) return true;
  return false;
}

describe('handler table', () => {
  let harness: ConsoleHarness;
  beforeEach(async () => {
    harness = await openConsoleHarness({ env: { ENV_PROVIDER_KEY: ENV_KEY } });
  });
  afterEach(async () => {
    await harness.close();
  });

  const call = <C extends Channel>(channel: C, input: unknown): Promise<CallResult<C>> =>
    dispatch(handlerTable, channel, input, harness.session.deps, console_, {
      checkOutput: true,
    }) as Promise<CallResult<C>>;

  it('has a handler for every contract channel', () => {
    expect(Object.keys(handlerTable).sort()).toEqual([...CHANNELS].sort());
  });

  it('never returns a stored or environment key, from any channel, in any answer or push event', async () => {
    const simulatorUrl = harness.host.simulator!.url;
    // Two real-style providers: one keyed in the console, one by environment variable. Both
    // point at the simulator, so a model on them answers and the engine really sends the key.
    for (const provider of [
      {
        id: 'real-provider',
        baseUrl: `${simulatorUrl}/sim-together/v1`,
        apiKeyEnv: 'REAL_PROVIDER_KEY',
      },
      {
        id: 'env-provider',
        baseUrl: `${simulatorUrl}/sim-together/v1`,
        apiKeyEnv: 'ENV_PROVIDER_KEY',
      },
    ]) {
      expect(await call('settings.saveProvider', { provider })).toEqual({
        ok: true,
        value: { ok: true },
      });
    }
    const setKey = await call('settings.setKey', { providerId: 'real-provider', key: STORED_KEY });
    expect(setKey).toEqual({ ok: true, value: { source: 'session', masked: 'sk-…b1a0' } });
    const fleet = JSON.parse(
      ((await call('fleet.export', {})) as { value: { content: string } }).value.content,
    );
    const template = fleet.models.find((model: { id: string }) => model.id === SAMPLE_MODEL);
    fleet.models.push(
      { ...template, id: 'keyed/deepseek-v3', provider: 'real-provider' },
      { ...template, id: 'env/deepseek-v3', provider: 'env-provider' },
    );
    const imported = await call('fleet.import', { content: JSON.stringify(fleet) });
    expect(imported).toMatchObject({
      ok: true,
      value: { ok: true, created: ['keyed/deepseek-v3', 'env/deepseek-v3'] },
    });

    const canary = await call('runs.startCanary', {
      models: ['keyed/deepseek-v3', 'env/deepseek-v3', SAMPLE_MODEL],
      fixtures: 2,
      concurrency: 2,
    });
    expect(canary.ok).toBe(true);
    const runId = (canary as { value: { runId: string } }).value.runId;
    await harness.session.runs.settled(runId);

    const inputs: Record<string, unknown> = {
      ...VALID_INPUTS,
      'runs.get': { runId },
      'runs.cancel': { runId },
      'runs.resume': { runId },
      'calls.list': { runId, limit: 100 },
      // A call of the model whose key came from the key store: its request must not carry the key.
      'calls.request': {
        callId: harness.host.runs
          .records({ runId })
          .find((record) => record.actualModel === 'keyed/deepseek-v3')?.id,
      },
      'settings.setKey': { providerId: 'real-provider', key: STORED_KEY },
      'fleet.import': { content: JSON.stringify(fleet), dryRun: true },
    };
    const answers: { channel: string; result: CallResult<Channel> }[] = [];
    const started: string[] = [];
    for (const channel of CHANNELS.filter((name) => name !== 'settings.clearKey')) {
      const result = await call(channel, inputs[channel]);
      answers.push({ channel, result });
      if (result.ok && typeof (result.value as { runId?: unknown }).runId === 'string')
        started.push((result.value as { runId: string }).runId);
    }
    for (const id of started) await harness.session.runs.settled(id);
    answers.push({
      channel: 'settings.clearKey',
      result: await call('settings.clearKey', { providerId: 'real-provider' }),
    });
    harness.session.batcher.flush();

    // The request view of a keyed call was really built (not refused at the input check).
    expect(answers.find((answer) => answer.channel === 'calls.request')?.result).toMatchObject({
      ok: true,
      value: { sent: true, modelId: 'keyed/deepseek-v3' },
    });
    for (const { channel, result } of answers) {
      const text = JSON.stringify(result);
      expect(leaks(text, STORED_KEY), `${channel} leaked the stored key`).toBe(false);
      expect(leaks(text, ENV_KEY), `${channel} leaked the environment key`).toBe(false);
      expect(result.ok ? 'ok' : result.error.code, `${channel}: ${text.slice(0, 300)}`).not.toBe(
        'internal',
      );
    }
    const events = JSON.stringify(harness.events);
    expect(leaks(events, STORED_KEY) || leaks(events, ENV_KEY)).toBe(false);
    // The keys did reach the provider: the keyed models answered.
    const calls = harness.host.runs.records({ runId });
    expect(
      calls.filter(
        (record) => record.intendedModel === 'keyed/deepseek-v3' && record.status === 'success',
      ).length,
    ).toBeGreaterThan(0);
    expect(leaks(JSON.stringify(calls), STORED_KEY)).toBe(false);
    const settings = answers.find((answer) => answer.channel === 'settings.get')!.result;
    expect(settings).toMatchObject({ ok: true });
    const providers = (
      settings as { value: { providers: { provider: { id: string }; key: unknown }[] } }
    ).value.providers;
    expect(providers.find((entry) => entry.provider.id === 'env-provider')?.key).toEqual({
      source: 'env',
      masked: 'sk-…e8f9',
    });
    expect(providers.find((entry) => entry.provider.id === 'sim-together')?.key).toEqual({
      source: 'not-needed',
      masked: null,
    });
  });

  it('saves a daily budget below today spend, and answers that every priced call will be refused', async () => {
    // Written before anything asks the ledger about today, so it reads this as today's spend.
    const startedAt = new Date().toISOString();
    harness.host.runs.createRun({ id: 'spent-today', kind: 'canary', task: 'football-score', items: [], pinnedVersions: {}, budgetMicros: null, startedAt });
    harness.host.runs.addRecord(callRecord({ runId: 'spent-today', startedAt, costMicros: 1_230_000 }));
    const budget = { dailyUsd: 1, fallbackCostCeiling: 3 };

    expect(await call('settings.saveBudget', { budget })).toEqual({
      ok: true,
      value: {
        ok: true,
        warnings: ["the daily budget $1.00 is below today's spend $1.23: every priced call will be refused until the day rolls over (UTC)"],
      },
    });
    expect(await call('settings.get', {})).toMatchObject({ ok: true, value: { budget } });
    expect(harness.host.ledger.reserve('next-run', SAMPLE_MODEL, 1)).toMatchObject({ ok: false, reason: expect.stringMatching(/^daily budget/) });
    // Raised above it again, the answer carries no warning.
    expect(await call('settings.saveBudget', { budget: { ...budget, dailyUsd: 5 } })).toEqual({ ok: true, value: { ok: true } });
  });

  it('refuses the simulator drills when the workspace has no simulator', async () => {
    const deps = { ...harness.session.deps, host: { ...harness.host, simulator: undefined } };
    const result = await dispatch(handlerTable, 'simulator.faults', {}, deps, console_);
    expect(result).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/no simulated providers/) },
    });
  });

  it('injects, lists and clears simulator faults', async () => {
    const injected = await call('simulator.inject', VALID_INPUTS['simulator.inject']);
    expect(injected.ok).toBe(true);
    expect(await call('simulator.faults', {})).toMatchObject({
      ok: true,
      value: [{ fired: 0, spec: { kind: '503' } }],
    });
    expect(await call('simulator.clear', {})).toEqual({ ok: true, value: { cleared: 1 } });
    // A target the simulator does not serve is the operator's input, not an internal error.
    expect(await call('simulator.inject', { spec: { kind: '503', target: { provider: 'nope' } } })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: expect.stringMatching(/^target\.provider: no simulated provider "nope"/) },
    });
  });

  it('imports a fleet file dry, changing nothing, and reports JSON errors as problems', async () => {
    const exported = (await call('fleet.export', {})) as { ok: true; value: { content: string } };
    const fleet = JSON.parse(exported.value.content);
    fleet.models[0].config.timeoutMs = 12_345;
    const dry = await call('fleet.import', { content: JSON.stringify(fleet), dryRun: true });
    expect(dry).toMatchObject({ ok: true, value: { ok: true, updated: [fleet.models[0].id], changed: true } });
    // A file that only changes the budget still changes something, and says so.
    const budgetOnly = JSON.parse(exported.value.content);
    budgetOnly.budget.dailyUsd = 42;
    expect(await call('fleet.import', { content: JSON.stringify(budgetOnly), dryRun: true })).toMatchObject({
      ok: true,
      value: { ok: true, created: [], updated: [], changed: true, summary: expect.stringMatching(/; budget\.dailyUsd \d+ -> 42$/) },
    });
    expect(await call('fleet.import', { content: exported.value.content, dryRun: true })).toMatchObject({ ok: true, value: { changed: false, warnings: [] } });
    // A budget that stops spending is imported, with a warning that says so.
    const stopped = JSON.parse(exported.value.content);
    stopped.budget.dailyUsd = 0;
    expect(await call('fleet.import', { content: JSON.stringify(stopped), dryRun: true })).toMatchObject({
      ok: true,
      value: { ok: true, warnings: ['budget.dailyUsd: the daily budget is $0.00: every priced call will be refused until it is raised'] },
    });
    expect(harness.workspace.fleet.getModel(fleet.models[0].id)?.config.timeoutMs).not.toBe(12_345);
    expect(await call('fleet.import', { content: '{"version":' })).toMatchObject({
      ok: true,
      value: { ok: false, problems: [expect.stringMatching(/not valid JSON/)] },
    });
  });
});
