import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness } from '../../test-support/engine-harness';
import { runRecoveryProbe } from './recovery-probe';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('recovery probe', () => {
  it('re-enables a disabled model that answers every fixture cleanly and leaves a broken one disabled', async () => {
    harness = await openHarness({ models: [{ id: 'recovered', profile: {} }, { id: 'still-broken', profile: { style: 'garbage' } }, { id: 'healthy', profile: {} }] });
    const at = new Date().toISOString();
    harness.host.state.setDisabled('recovered', true, 'auto-disabled after 5 consecutive failed predictions (last: timeout)', at);
    harness.host.state.setDisabled('still-broken', true, 'auto-disabled after 5 consecutive failed predictions (last: parse_error)', at);
    const report = await runRecoveryProbe(harness.host, { fixtures: 2 });
    expect(report?.models.map((model) => model.modelId).sort()).toEqual(['recovered', 'still-broken']);
    expect(report?.reenabled).toEqual(['recovered']);
    expect(harness.host.state.health('recovered').disabled).toBe(false);
    expect(harness.host.state.health('still-broken').disabled).toBe(true);
    expect(harness.host.runs.getRun(report!.runId)?.kind).toBe('probe');
    expect(harness.simulator.requestLog().some((entry) => entry.model === 'healthy')).toBe(false);
  });

  it('probes only models disabled long enough, and nothing when none is due', async () => {
    harness = await openHarness({ models: [{ id: 'fresh', profile: {} }] });
    harness.host.state.setDisabled('fresh', true, 'auto-disabled', new Date().toISOString());
    expect(await runRecoveryProbe(harness.host, { disabledForMs: 60_000 })).toBeUndefined();
    expect(harness.simulator.requestLog()).toHaveLength(0);
  });
});
