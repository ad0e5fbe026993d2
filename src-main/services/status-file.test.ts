import { afterEach, describe, expect, it } from 'vitest';
import { ModelStatusFileSchema } from '../../src-shared/domain';
import { type Harness, openHarness } from '../../test-support/engine-harness';
import { dumpDatabase } from '../../test-support/temp-dir';
import { runCanary } from './canary';
import { saveModelConfig } from './config-versions';
import { setVerdict } from './lifecycle';
import { exportStatus, importStatus, statusFileContent } from './status-file';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function fleet(): Promise<Harness> {
  const opened = await openHarness({
    models: [
      { id: 'solid', profile: { style: 'clean' } },
      { id: 'backup', profile: { style: 'clean' } },
      { id: 'hopeless', profile: { style: 'garbage' } },
    ],
  });
  for (let round = 0; round < 3; round++) await runCanary(opened.host, { fixtures: 2, concurrency: 8 });
  setVerdict(opened.workspace, { modelId: 'hopeless', verdict: 'unfixable', reason: 'never answers in JSON' });
  return opened;
}

/** What an import can restore: the operator's fields and the statuses they lead to. */
function operatorState(file: ReturnType<typeof exportStatus>) {
  return {
    coverage: file.coverage,
    models: Object.fromEntries(
      Object.entries(file.models).map(([id, entry]) => [id, { active: entry.active, status: entry.status, workingSince: entry.workingSince, config: entry.config, inactiveReason: entry.inactiveReason, retestAt: entry.retestAt }]),
    ),
  };
}

describe('model-status.json', () => {
  it('exports the documented shape without secrets', async () => {
    harness = await fleet();
    const file = exportStatus(harness.workspace);
    expect(ModelStatusFileSchema.parse(file)).toEqual(file);
    expect(file.coverage).toEqual({ working: 2, active: 3, unfixable: 1, eligible: 2, percent: 100, total: 3, label: '2 of 2 active models working, 100.0%' });
    expect(file.models.solid).toMatchObject({
      active: true,
      status: 'working',
      config: { promptVariant: 'BASE', timeoutMs: 5000, responseHandler: 'auto', fallback: null },
      configVersion: 1,
      fixAttempts: [{ version: 1, note: 'test harness', successRate: 1 }],
      inactiveReason: null,
      metrics: { successRate: 1, viaFallbackRate: 0 },
    });
    expect(file.models.hopeless).toMatchObject({ status: 'unfixable', inactiveReason: 'never answers in JSON', retestAt: expect.any(String) });
    expect(statusFileContent(harness.workspace)).not.toMatch(/127\.0\.0\.1|apiKey|baseUrl/);
  });

  it('round-trips: importing an export restores the operator state it describes', async () => {
    harness = await fleet();
    const { workspace } = harness;
    const exported = exportStatus(workspace);
    const content = JSON.stringify(exported);
    expect(importStatus(workspace, content, { dryRun: true })).toEqual({ ok: true, applied: false, problems: [], changes: [] });

    saveModelConfig(workspace, 'solid', { ...workspace.fleet.requireModel('solid').config, timeoutMs: 20_000, fallback: 'backup' }, 'try a fallback');
    setVerdict(workspace, { modelId: 'hopeless', verdict: 'active' });
    setVerdict(workspace, { modelId: 'backup', verdict: 'inactive', reason: 'testing' });
    const before = dumpDatabase(workspace.db);
    const dry = importStatus(workspace, content, { dryRun: true });
    expect(dry.changes.map((change) => `${change.modelId} ${change.field}`)).toEqual([
      'backup active',
      'backup verdict',
      'backup inactiveReason',
      'hopeless verdict',
      'hopeless inactiveReason',
      'hopeless retestAt',
      'solid config.timeoutMs',
      'solid config.fallback',
    ]);
    expect(dumpDatabase(workspace.db)).toEqual(before);

    expect(importStatus(workspace, content, { dryRun: false })).toMatchObject({ ok: true, applied: true });
    expect(operatorState(exportStatus(workspace))).toEqual(operatorState(exported));
    expect(workspace.fleet.requireModel('solid')).toMatchObject({ configVersion: 3 });
    expect(workspace.fleet.configHistory('solid').at(-1)?.note).toMatch(/^imported from model-status.json generated /);
  });

  it('refuses a malformed or truncated file, naming the problem, and changes nothing', async () => {
    harness = await fleet();
    const { workspace } = harness;
    const content = JSON.stringify(exportStatus(workspace), null, 2);
    const before = dumpDatabase(workspace.db);
    const truncated = importStatus(workspace, content.slice(0, content.length / 2), { dryRun: false });
    expect(truncated).toMatchObject({ ok: false, applied: false, changes: [] });
    expect(truncated.problems[0]).toMatch(/^model-status\.json is not valid JSON \(truncated\?\): /);

    const file = JSON.parse(content);
    file.models.solid.config.timeoutMs = 'fast';
    file.models.backup.status = 'sleepy';
    expect(importStatus(workspace, JSON.stringify(file), { dryRun: false }).problems).toEqual([
      'models.backup.status: Invalid option: expected one of "untested"|"working"|"degraded"|"failing"|"disabled"|"inactive"|"unfixable" (got "sleepy")',
      'models.solid.config.timeoutMs: Invalid input: expected number, received string (got "fast")',
    ]);

    const valid = JSON.parse(content);
    valid.models.solid.config.fallback = 'backup';
    valid.models.backup.config.fallback = 'solid';
    valid.models['no-such-model'] = valid.models.solid;
    valid.models.hopeless.config.timeoutMs = 120_000;
    expect(importStatus(workspace, JSON.stringify(valid), { dryRun: false }).problems).toEqual([
      'models.no-such-model: unknown model "no-such-model" (import a fleet file to add models)',
      'models.hopeless.config.timeoutMs: timeout 120000 ms is over the 60000 ms ceiling (90000 ms is allowed only for premium models)',
      'models.backup.config.fallback: fallback cycle: backup -> solid -> backup',
    ]);
    expect(dumpDatabase(workspace.db)).toEqual(before);
  });

  it('refuses a config that config set would refuse (an unknown prompt variant), naming its path, and writes nothing', async () => {
    harness = await fleet();
    const { workspace } = harness;
    const file = exportStatus(workspace);
    const before = dumpDatabase(workspace.db);
    file.models.backup!.status = 'inactive';
    file.models.backup!.active = false;
    file.models.backup!.inactiveReason = 'paused';
    file.models.solid!.config.promptVariant = 'NO_SUCH';
    expect(importStatus(workspace, JSON.stringify(file), { dryRun: false })).toEqual({
      ok: false,
      applied: false,
      changes: [],
      problems: ['models.solid.config.promptVariant: prompt variant "NO_SUCH" does not exist'],
    });
    expect(() => saveModelConfig(workspace, 'solid', { ...workspace.fleet.requireModel('solid').config, promptVariant: 'NO_SUCH' }, 'typo')).toThrow('prompt variant "NO_SUCH" does not exist');
    expect(dumpDatabase(workspace.db)).toEqual(before);
  });

  it('refuses a timeout under the stored first-token deadline as a named problem, not a thrown error', async () => {
    harness = await fleet();
    const { workspace } = harness;
    const stored = workspace.fleet.requireModel('solid').config;
    saveModelConfig(workspace, 'solid', { ...stored, stream: true, firstTokenTimeoutMs: 4_000 }, 'stream it');
    const file = exportStatus(workspace);
    const before = dumpDatabase(workspace.db);
    file.models.solid!.config.timeoutMs = 2_000;
    expect(importStatus(workspace, JSON.stringify(file), { dryRun: true })).toEqual({
      ok: false,
      applied: false,
      changes: [],
      problems: [
        "models.solid.config.firstTokenTimeoutMs: first-token timeout 4000 ms is over the call's timeout of 2000 ms (got 4000)",
      ],
    });
    expect(dumpDatabase(workspace.db)).toEqual(before);
  });

  it('gives an unfixable entry without a re-test date the default one, 90 days after the import', async () => {
    harness = await fleet();
    const { workspace } = harness;
    const file = exportStatus(workspace);
    file.models.backup!.status = 'unfixable';
    file.models.backup!.inactiveReason = 'answers in prose whatever the prompt';
    file.models.backup!.retestAt = null;
    // hopeless is already unfixable: a file without its date keeps the one it has.
    const hopelessRetest = file.models.hopeless!.retestAt;
    file.models.hopeless!.retestAt = null;
    const now = new Date('2030-01-01T00:00:00.000Z');
    const result = importStatus(workspace, JSON.stringify(file), { dryRun: false, now });
    expect(result).toMatchObject({ ok: true, applied: true });
    expect(result.changes.filter((change) => change.field === 'retestAt')).toEqual([{ modelId: 'backup', field: 'retestAt', from: null, to: '2030-04-01T00:00:00.000Z' }]);
    const after = exportStatus(workspace);
    expect(after.models.backup).toMatchObject({ status: 'unfixable', retestAt: '2030-04-01T00:00:00.000Z' });
    expect(after.models.hopeless!.retestAt).toBe(hopelessRetest);
  });
});
