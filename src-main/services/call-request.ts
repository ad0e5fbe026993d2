import type { Fixture } from '../../src-shared/tasks';
import { NotFoundError } from '../../src-shared/errors';
import type { CallRequestView } from '../../src-shared/ipc';
import { buildChatBody } from '../engine/build-chat-body';
import { normalizeRequest } from '../engine/fallback';
import type { ChatRequestBody } from '../engine/http';
import type { EngineHost } from './engine-host';
import { catalogAt, loadPromptCatalog } from './prompt-catalog';
import { composeFixtures } from './prompt-edits';

/**
 * What a recorded call sent, composed again the way the engine composed it: the called model's
 * config at the call's version, the prompt versions its run pinned, the call's own variant and
 * fixtures. What is not versioned per call is read as it is now (the model's provider id, the
 * provider's settings, the task's template and fixtures; for a run older than pinned prompt
 * versions, the prompts): `notes` says so. A call refused before sending (attempt 0) has no body.
 */
export function callRequest(host: EngineHost, callId: number): CallRequestView {
  const record = host.runs.record(callId);
  if (!record) throw new NotFoundError(`no call ${callId}`);
  const run = host.runs.getRun(record.runId);
  if (!run)
    throw new NotFoundError(`call ${callId} belongs to run ${record.runId}, which is not stored`);
  const fleet = host.workspace.fleet;
  const model = fleet.getModel(record.actualModel);
  const version = fleet.getConfigVersion(record.actualModel, record.configVersion);
  if (!model || !version) {
    throw new NotFoundError(
      `call ${callId} used ${record.actualModel} config v${record.configVersion}, which is no longer stored`,
    );
  }
  const notes: string[] = [];
  const catalog = run.promptVersions
    ? catalogAt(host.workspace, run.task, run.promptVersions)
    : loadPromptCatalog(host.workspace, run.task);
  if (!run.promptVersions) {
    notes.push(
      `run ${run.id} predates pinned prompt versions: composed with today's components and variants, which may have been edited since`,
    );
  }
  const fixtures = record.fixtureId.split('+').map((id): Fixture => {
    const fixture = catalog.task.fixtures.find((candidate) => candidate.id === id);
    if (!fixture)
      throw new NotFoundError(
        `call ${callId} answered fixture "${id}", which task "${run.task}" no longer has`,
      );
    return fixture;
  });
  // The call's own variant: a compare column may have overridden the config's.
  const config = { ...version.config, promptVariant: record.promptVariant };
  // A variant the run did not pin can only have been refused (every run pins the variants it
  // composes with): the problems say it does not exist, and there is no body to show.
  const composed = composeFixtures(catalog, { id: model.id, config }, fixtures);
  // Attempt 0 is the engine's refusal before sending (no key, disabled, circuit open, budget...).
  const sent = record.attempt > 0;
  if (!sent)
    notes.push(
      `not sent: the engine refused the call before sending it (${record.errorClass ?? 'refused'}: ${record.errorMessage ?? 'no reason recorded'})`,
    );
  const provider = fleet.getProvider(model.provider);
  let body: ChatRequestBody | null = null;
  if (!provider) {
    notes.push(
      `provider ${model.provider} no longer exists, so the request body cannot be rebuilt`,
    );
  } else if (sent && composed.variant) {
    const parameters = normalizeRequest(model.providerModelId, config, provider.limits);
    const fitted =
      parameters.adjustments.length > 0 ? ` (${parameters.adjustments.join(', ')})` : '';
    body = buildChatBody(
      { ...model, config, configVersion: record.configVersion },
      provider,
      parameters,
      composed,
    );
    // Not versioned per call: the model's provider id, the provider's settings and the task files.
    notes.push(
      `read as they are now: ${model.id}'s provider model id, provider ${provider.id}'s limits${fitted} and response-format setting, and the task's template and fixtures`,
    );
  }
  return {
    callId,
    runId: record.runId,
    modelId: record.actualModel,
    configVersion: record.configVersion,
    fixtureIds: composed.fixtureIds,
    variant: composed.variant,
    system: composed.system,
    user: composed.user,
    sections: composed.sections,
    sent,
    body: body === null ? null : { ...body },
    basis: run.promptVersions ? 'pinned' : 'latest',
    notes: [...composed.problems, ...notes],
  };
}
