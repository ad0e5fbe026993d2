import { afterEach, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../src-shared/errors';
import { type Harness, openHarness } from '../../test-support/engine-harness';
import { startScriptedProvider } from '../../test-support/scripted-provider';
import { callRequest } from './call-request';
import { runCanary } from './canary';
import { saveModelConfig } from './config-versions';
import { savePromptChange } from './prompt-edits';

let harness: Harness | undefined;
let scripted: Awaited<ReturnType<typeof startScriptedProvider>> | undefined;
afterEach(async () => {
  await harness?.close();
  await scripted?.close();
  harness = undefined;
  scripted = undefined;
});

describe("a recorded call's request", () => {
  it('is the body the provider received, even after its variant and config were edited', async () => {
    scripted = await startScriptedProvider({ 'echo-1': '{"homeScore": 2, "awayScore": 1}' });
    harness = await openHarness({
      models: [
        {
          id: 'echo',
          provider: 'scripted',
          providerModelId: 'echo-1',
          profile: null,
          config: { temperature: 0.4, maxTokens: 300 },
        },
      ],
      providers: [
        {
          id: 'scripted',
          baseUrl: scripted.baseUrl,
          supportsResponseFormat: true,
          limits: { maxTokens: 256 },
        },
      ],
    });
    const { host, workspace } = harness;
    savePromptChange(
      workspace,
      { kind: 'variant', name: 'BASE', text: 'Answer with the JSON object only.' },
      'first wording',
    );
    const first = await runCanary(host, { models: ['echo'], fixtures: 2, concurrency: 1 });
    expect(first.models[0]).toMatchObject({ predictions: 2, succeeded: 2 });
    const sent = scripted.bodies();
    const calls = host.runs.records({ runId: first.runId });
    expect(calls).toHaveLength(2);

    // Edited after the run: a new BASE wording and a new config version.
    savePromptChange(
      workspace,
      { kind: 'variant', name: 'BASE', text: 'Keep it short.' },
      'second wording',
    );
    saveModelConfig(
      workspace,
      'echo',
      { ...workspace.fleet.requireModel('echo').config, temperature: 0.9 },
      'warmer',
    );

    for (const [index, call] of calls.entries()) {
      const view = callRequest(host, call.id!);
      expect(view.body).toEqual(sent[index]);
      expect(view).toMatchObject({
        basis: 'pinned',
        modelId: 'echo',
        configVersion: 1,
        fixtureIds: [call.fixtureId],
        variant: { name: 'BASE', version: 2 },
      });
      expect(view.system).toContain('Answer with the JSON object only.');
      expect(view.system).not.toContain('Keep it short.');
      expect(view.sections.map((section) => section.kind)).toContain('variant');
    }
    // The provider caps max tokens at 256: the note says the 300 of the config was fitted.
    expect(callRequest(host, calls[0]!.id!).notes.join(' ')).toContain('max_tokens 300 -> 256');
    expect(sent[0]).toMatchObject({
      model: 'echo-1',
      max_tokens: 256,
      temperature: 0.4,
      response_format: { type: 'json_object' },
    });

    // A call made after the edits sent, and shows, the new wording and config.
    const second = await runCanary(host, { models: ['echo'], fixtures: 1, concurrency: 1 });
    const latest = host.runs.records({ runId: second.runId })[0]!;
    const view = callRequest(host, latest.id!);
    expect(view.body).toEqual(scripted.bodies().at(-1));
    expect(view).toMatchObject({
      configVersion: 2,
      variant: { name: 'BASE', version: 3 },
      body: { temperature: 0.9 },
    });
    expect(view.system).toContain('Keep it short.');
  });

  it('says a call the engine refused before sending was not sent, and shows no body for it', async () => {
    scripted = await startScriptedProvider({ 'keyless-1': '{"homeScore": 1, "awayScore": 0}' });
    harness = await openHarness({
      models: [
        { id: 'keyless', provider: 'scripted', providerModelId: 'keyless-1', profile: null },
      ],
      providers: [{ id: 'scripted', baseUrl: scripted.baseUrl, apiKeyEnv: 'SCRIPTED_API_KEY' }],
    });
    const report = await runCanary(harness.host, {
      models: ['keyless'],
      fixtures: 1,
      concurrency: 1,
    });
    expect(report.models[0]).toMatchObject({ succeeded: 0, errors: { auth: 1 } });
    expect(scripted.requests()).toBe(0);
    const refused = harness.host.runs.records({ runId: report.runId })[0]!;
    expect(refused.attempt).toBe(0);
    const view = callRequest(harness.host, refused.id!);
    expect(view).toMatchObject({ sent: false, body: null });
    expect(view.notes.join(' ')).toContain(
      'not sent: the engine refused the call before sending it (auth:',
    );
    // What it would have sent is still composed: the prompt the model gets for that fixture.
    expect(view.user).toContain('Predict the final score');
  });

  it('names a call that does not exist', async () => {
    harness = await openHarness({ models: [{ id: 'm', profile: {} }] });
    expect(() => callRequest(harness!.host, 424242)).toThrow(NotFoundError);
    expect(() => callRequest(harness!.host, 424242)).toThrow('no call 424242');
  });
});
