import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, openHarness, stoppedCanary } from '../../test-support/engine-harness';
import { runCanary } from './canary';
import { savePromptChange } from './prompt-edits';

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

describe('a resumed canary', () => {
  it('sends its remaining items the prompt versions the run pinned at its start, not a variant edited meanwhile', async () => {
    // Prose without JSON unless the system prompt says "Reply with the JSON only." (JSON_STRICT's sentence).
    harness = await openHarness({ models: [{ id: 'literal', profile: { style: 'prose-only', variants: { JSON_STRICT: { style: 'clean' } } } }] });
    const { host, workspace } = harness;
    const pinned = savePromptChange(workspace, { kind: 'variant', name: 'BASE', text: 'Reply with the JSON only.' }, 'ask every BASE model for JSON only');
    // One item at a time, stopped once two are answered: the rest of the plan is left unsent.
    const partial = await stoppedCanary(host, 'literal', { fixtures: 4, concurrency: 1, after: 2 });
    expect(host.runs.getRun(partial.runId)).toMatchObject({ status: 'cancelled', promptVersions: { variants: { BASE: pinned.version } } });
    expect(host.runs.finishedItemKeys(partial.runId).size).toBe(2);

    // An edit during the interrupted run: under it the model would answer in prose.
    savePromptChange(workspace, { kind: 'variant', name: 'BASE', text: 'Keep the answer short.' }, 'shorter');
    const recordsBefore = host.runs.records({ runId: partial.runId }).length;
    const resumed = await runCanary(host, { fixtures: 4, concurrency: 1, resumeRunId: partial.runId });
    const sent = host.runs.records({ runId: partial.runId }).slice(recordsBefore);
    expect(sent.map((record) => [record.promptVariant, record.status])).toEqual([
      ['BASE', 'success'],
      ['BASE', 'success'],
    ]);
    expect(resumed).toMatchObject({ status: 'completed', promptVersions: { variants: { BASE: pinned.version } } });
    expect(resumed.models[0]).toMatchObject({ predictions: 4, succeeded: 4 });

    // A new run takes the edit.
    const next = await runCanary(host, { models: ['literal'], fixtures: 1, concurrency: 1 });
    expect(next).toMatchObject({ promptVersions: { variants: { BASE: pinned.version + 1 } } });
    expect(next.models[0]).toMatchObject({ succeeded: 0, errors: { parse_error: 1 } });
  });
});
