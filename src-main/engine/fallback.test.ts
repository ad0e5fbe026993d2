import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, type HarnessModel, openHarness } from '../../test-support/engine-harness';
import type { StoredModel } from '../store';
import { currentModels, executeRun, itemKey } from '../services/run-executor';
import { loadTaskPack } from '../services/task-packs';

const task = loadTaskPack('football-score');
let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const failing = { profile: { style: 'garbage' as const } };
const healthy = { profile: {} };

async function runOne(h: Harness, modelId: string, models: Map<string, StoredModel> = currentModels(h.host), explicit = true) {
  const fixture = task.fixtures[0]!;
  const outcome = await executeRun(h.host, { kind: 'canary', task, models, items: [{ key: itemKey(modelId, [fixture]), modelId, fixtures: [fixture], explicit }], concurrency: 1 });
  return { result: outcome.results[0]!, records: h.host.runs.records({ runId: outcome.runId }) };
}
const calledModels = (h: Harness) => h.simulator.requestLog().map((entry) => entry.model);

describe('fallback chains', () => {
  it('answers through the fallback and records intended model, actual model, depth and reason', async () => {
    harness = await openHarness({ models: [{ id: 'a', ...failing, config: { fallback: 'b' } }, { id: 'b', ...healthy }] as HarnessModel[] });
    const { result, records } = await runOne(harness, 'a');
    expect(result).toMatchObject({ success: true, intendedModel: 'a', actualModel: 'b', depth: 1 });
    expect(records.map((record) => [record.actualModel, record.fallbackDepth, record.status, record.final])).toEqual([
      ['a', 0, 'failure', false],
      ['b', 1, 'success', true],
    ]);
    expect(records[1]?.fallbackReason).toBe('a: parse_error');
  });

  it('never calls a model twice in one call, even when the chain loops', async () => {
    harness = await openHarness({ models: [{ id: 'a', ...failing }, { id: 'b', ...failing }] });
    const models = currentModels(harness.host);
    // A loop the fleet file would refuse, built directly to prove the engine's own visited set.
    models.set('a', { ...models.get('a')!, config: { ...models.get('a')!.config, fallback: 'b' } });
    models.set('b', { ...models.get('b')!, config: { ...models.get('b')!.config, fallback: 'a' } });
    const { result, records } = await runOne(harness, 'a', models);
    expect(result.success).toBe(false);
    expect(calledModels(harness)).toEqual(['a', 'b']);
    expect(records.at(-1)?.final).toBe(true);
  });

  it('stops after 3 fallbacks', async () => {
    harness = await openHarness({
      models: [
        { id: 'd0', ...failing },
        { id: 'd1', ...failing },
        { id: 'd2', ...failing },
        { id: 'd3', ...failing },
        { id: 'd4', ...healthy },
      ],
    });
    const models = currentModels(harness.host);
    for (const [from, to] of [['d0', 'd1'], ['d1', 'd2'], ['d2', 'd3'], ['d3', 'd4']] as const) {
      models.set(from, { ...models.get(from)!, config: { ...models.get(from)!.config, fallback: to } });
    }
    const { result } = await runOne(harness, 'd0', models);
    expect(result.success).toBe(false);
    expect(calledModels(harness)).toEqual(['d0', 'd1', 'd2', 'd3']);
  });

  it('refuses a fallback priced over the cost ceiling and never sends to it', async () => {
    harness = await openHarness({
      models: [
        { id: 'cheap', ...failing, pricing: { promptPer1M: 0.1, completionPer1M: 0.1 }, config: { fallback: 'dear' } },
        { id: 'dear', ...healthy, pricing: { promptPer1M: 0.2, completionPer1M: 0.7 } },
      ],
    });
    const { result, records } = await runOne(harness, 'cheap');
    expect(result).toMatchObject({ success: false, actualModel: 'cheap' });
    expect(calledModels(harness)).toEqual(['cheap']);
    expect(records).toHaveLength(1);
    expect(records[0]?.final).toBe(true);
  });

  it('says in the final record why a fallback over the cost ceiling was not used', async () => {
    harness = await openHarness({
      models: [
        { id: 'cheap', profile: { faults: [{ kind: '401' }] }, pricing: { promptPer1M: 0.1, completionPer1M: 0.1 }, config: { fallback: 'dear' } },
        { id: 'dear', ...healthy, pricing: { promptPer1M: 0.5, completionPer1M: 0.5 } },
      ],
    });
    const { result, records } = await runOne(harness, 'cheap');
    expect(records).toHaveLength(1);
    expect(records[0]?.errorMessage).toMatch(/^HTTP 401: /);
    expect(records[0]?.errorMessage?.endsWith(' (fallback not used: fallback dear refused: costs 5.0x cheap, over the 3x ceiling)')).toBe(true);
    expect(result.errorMessage).toBe(records[0]?.errorMessage);
  });

  it('allows a fallback between 2x and the ceiling, and says so in its record', async () => {
    harness = await openHarness({
      models: [
        { id: 'cheap', ...failing, pricing: { promptPer1M: 0.1, completionPer1M: 0.1 }, config: { fallback: 'pricier' } },
        { id: 'pricier', ...healthy, pricing: { promptPer1M: 0.25, completionPer1M: 0.25 } },
      ],
    });
    const { result, records } = await runOne(harness, 'cheap');
    expect(result).toMatchObject({ success: true, actualModel: 'pricier' });
    expect(records[1]?.fallbackReason).toMatch(/^cheap: (parse|schema)_error; fallback pricier costs 2.5x cheap$/);
  });

  it('skips a disabled fallback for the next one in the chain', async () => {
    harness = await openHarness({
      models: [
        { id: 'a', ...failing, config: { fallback: 'b' } },
        { id: 'b', ...healthy, config: { fallback: 'c' } },
        { id: 'c', ...healthy },
      ],
    });
    harness.host.state.setDisabled('b', true, 'operator test', new Date().toISOString());
    const { result, records } = await runOne(harness, 'a');
    expect(result).toMatchObject({ success: true, actualModel: 'c', depth: 2 });
    expect(calledModels(harness)).toEqual(['a', 'c']);
    expect(records[1]?.fallbackReason).toBe('a: parse_error; b skipped: disabled (operator test)');
  });

  it('sends work for a disabled model to its fallback, but an explicit canary tests the model itself', async () => {
    harness = await openHarness({ models: [{ id: 'a', ...healthy, config: { fallback: 'b' } }, { id: 'b', ...healthy }] });
    harness.host.state.setDisabled('a', true, 'auto-disabled', new Date().toISOString());
    const work = await runOne(harness, 'a', currentModels(harness.host), false);
    expect(work.result).toMatchObject({ success: true, actualModel: 'b', depth: 1 });
    expect(work.records[0]).toMatchObject({ actualModel: 'a', attempt: 0, errorClass: 'disabled', final: false });
    const canary = await runOne(harness, 'a', currentModels(harness.host), true);
    expect(canary.result).toMatchObject({ success: true, actualModel: 'a', depth: 0 });
    expect(calledModels(harness)).toEqual(['b', 'a']);
  });

  it("sends a fallback's model id in its provider's format", async () => {
    harness = await openHarness({
      models: [
        { id: 'a', ...failing, config: { fallback: 'b', maxTokens: 4000, temperature: 1.5 } },
        { id: 'b', provider: 'sim-b', ...healthy, providerModelId: 'Org/Model-B', config: { maxTokens: 4000, temperature: 1.5 } },
      ],
      providers: [
        { id: 'sim-a', baseUrl: 'http://127.0.0.1/sim-a/v1', simulated: true },
        { id: 'sim-b', baseUrl: 'http://127.0.0.1/sim-b/v1', simulated: true, limits: { maxTokens: 1024, temperatureMax: 1, modelIdFormat: 'lowercase' } },
      ],
    });
    await runOne(harness, 'a');
    expect(calledModels(harness)).toEqual(['a', 'org/model-b']);
  });
});
