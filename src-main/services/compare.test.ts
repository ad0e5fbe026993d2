import { afterEach, describe, expect, it } from 'vitest';
import { CompareView } from '../../src-shared/ipc';
import { type Harness, openHarness } from '../../test-support/engine-harness';
import { parseColumns, runCompare } from './compare';
import { saveModelConfig } from './config-versions';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const fixable = { id: 'fixable', profile: { style: 'prose-only' as const, variants: { JSON_STRICT: { style: 'clean' as const } } } };

describe('side-by-side runs', () => {
  it('returns every cell of 3 columns over 10 fixtures, failed ones included', async () => {
    harness = await openHarness({ models: [fixable, { id: 'solid', profile: { style: 'clean' } }] });
    const view = await runCompare(harness.host, [{ modelId: 'fixable' }, { modelId: 'fixable', promptVariant: 'JSON_STRICT' }, { modelId: 'solid' }], 10);
    expect(CompareView.parse(view)).toEqual(view);
    expect(view.status).toBe('completed');
    expect(view.columns.map((column) => [column.label, column.promptVariant, column.successRate])).toEqual([
      ['fixable@v1', 'BASE', 0],
      ['fixable@v1 JSON_STRICT', 'JSON_STRICT', 1],
      ['solid@v1', 'BASE', 1],
    ]);
    expect(view.columns[0]!.warnings).toEqual(['10 of 10 fixtures unanswered']);
    expect(view.columns[1]!.costPerSuccessUsd).toBeGreaterThan(0);
    expect(view.rows).toHaveLength(10);
    for (const row of view.rows) {
      expect(row.cells.every((cell) => cell !== null)).toBe(true);
      const [failed, fixed, solid] = row.cells;
      expect(failed).toMatchObject({ ok: false, value: null, errorClass: 'parse_error', coercions: [] });
      expect(failed!.replyExcerpt).toMatch(/^I expect /);
      expect(fixed).toMatchObject({ ok: true, errorClass: null, value: { homeScore: expect.any(Number), awayScore: expect.any(Number) } });
      expect(solid!.callId).toEqual(expect.any(Number));
      expect(solid!.latencyMs).toEqual(expect.any(Number));
      expect(solid!.promptTokens).toBeGreaterThan(0);
      expect(row.differs).toBe(true);
      expect(row.label).toMatch(/ vs /);
    }
  });

  it("shows each column's own reply: a failing column never falls back, and its failures never auto-disable the model", async () => {
    harness = await openHarness({
      models: [
        { id: 'broken', profile: { style: 'garbage' }, config: { fallback: 'solid' } },
        { id: 'solid', profile: { style: 'clean' } },
      ],
    });
    const view = await runCompare(harness.host, [{ modelId: 'broken' }, { modelId: 'solid' }], 6);
    expect(view.columns.map((column) => column.successRate)).toEqual([0, 1]);
    const records = harness.host.runs.records({ runId: view.runId });
    // Six cells per column, one attempt each: nothing went to the broken model's fallback.
    expect(records.filter((record) => record.intendedModel === 'broken').map((record) => record.actualModel)).toEqual(Array(6).fill('broken'));
    expect(harness.host.state.health('broken')).toMatchObject({ consecutiveFailures: 0, disabled: false });
  });

  it('puts one model at two config versions side by side', async () => {
    harness = await openHarness({ models: [fixable, { id: 'solid', profile: { style: 'clean' } }] });
    const { host, workspace } = harness;
    saveModelConfig(workspace, 'fixable', { ...workspace.fleet.requireModel('fixable').config, promptVariant: 'JSON_STRICT' }, 'JSON only');
    const view = await runCompare(host, parseColumns('fixable@v1,fixable@v2'), 3);
    expect(view.columns.map((column) => [column.label, column.configVersion, column.successRate])).toEqual([
      ['fixable@v1', 1, 0],
      ['fixable@v2', 2, 1],
    ]);
    const records = host.runs.records({ runId: view.runId });
    expect(new Set(records.map((record) => record.configVersion))).toEqual(new Set([1, 2]));
  });

  it('reads the CLI column notation', () => {
    expect(parseColumns('together/m@v3, together/m@4,m2#JSON_STRICT,x@y')).toEqual([
      { modelId: 'together/m', configVersion: 3, promptVariant: undefined },
      { modelId: 'together/m', configVersion: 4, promptVariant: undefined },
      { modelId: 'm2', configVersion: undefined, promptVariant: 'JSON_STRICT' },
      { modelId: 'x@y', configVersion: undefined, promptVariant: undefined },
    ]);
  });
});
