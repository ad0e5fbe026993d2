import type { Provider } from '../../src-shared/domain';
import { runCanary, selectModels } from './canary';
import type { EngineHost } from './engine-host';
import type { RunEvent } from './run-executor';

export interface ProviderListing {
  provider: string;
  /** The provider answered GET /models. */
  listed: boolean;
  /** How many ids it serves; null when it offers no list. */
  served: number | null;
  /** The ids it serves, sorted, as it spells them; null when it offers no list. */
  ids: string[] | null;
  error: string | null;
}

export interface ModelCheck {
  modelId: string;
  provider: string;
  providerModelId: string;
  /** Listed by its provider; null when the provider offers no list. */
  served: boolean | null;
  sanity: 'ok' | 'failed';
  errorClass: string | null;
  error: string | null;
  latencyMs: number | null;
}

export interface ModelCheckReport {
  ok: boolean;
  runId: string;
  providers: ProviderListing[];
  models: ModelCheck[];
}

function servedId(provider: Provider, id: string): string {
  return provider.limits.modelIdFormat === 'lowercase' ? id.toLowerCase() : id;
}

/** GET {baseUrl}/models: the ids a provider serves, or why it could not say. */
export async function listServedModels(host: EngineHost, provider: Provider, signal?: AbortSignal): Promise<{ ids: Set<string> } | { error: string }> {
  const endpoint = host.endpoint(provider);
  if (endpoint.missingKey !== undefined) return { error: `GET /models not sent: no API key (${endpoint.missingKey})` };
  try {
    const response = await fetch(`${endpoint.baseUrl}/models`, {
      headers: endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {},
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(10_000)]) : AbortSignal.timeout(10_000),
    });
    if (!response.ok) return { error: `GET /models answered HTTP ${response.status}` };
    const body = (await response.json()) as { data?: { id?: unknown }[] };
    if (!Array.isArray(body.data)) return { error: 'GET /models answered without a data list' };
    return { ids: new Set(body.data.map((entry) => String(entry.id))) };
  } catch (error) {
    return { error: `GET /models failed: ${(error as Error).message}` };
  }
}

/**
 * The model-id check: each provider's served list (where it offers `/v1/models`), every
 * configured id it does not serve flagged (the renamed-alias 404 of the seeds), and one sanity
 * prompt per model (a one-fixture canary of kind `check`). Not ok when any model fails either.
 */
export async function runModelCheck(
  host: EngineHost,
  options: { models?: readonly string[] | undefined; signal?: AbortSignal | undefined; onEvent?: ((event: RunEvent) => void) | undefined } = {},
): Promise<ModelCheckReport> {
  const ids = selectModels(host, options.models);
  const models = ids.map((id) => host.workspace.fleet.requireModel(id));
  const providers = new Map(host.workspace.fleet.listProviders().map((provider) => [provider.id, provider]));
  const listings = new Map<string, { ids: Set<string> } | { error: string }>();
  for (const providerId of new Set(models.map((model) => model.provider))) {
    const provider = providers.get(providerId);
    listings.set(providerId, provider ? await listServedModels(host, provider, options.signal) : { error: `provider ${providerId} is not configured` });
  }
  const report = await runCanary(host, { kind: 'check', models: ids, fixtures: 1, concurrency: 8, signal: options.signal, onEvent: options.onEvent });
  const records = host.runs.records({ runId: report.runId });
  const checks = models.map((model): ModelCheck => {
    const listing = listings.get(model.provider);
    const provider = providers.get(model.provider);
    const served = listing && 'ids' in listing && provider ? listing.ids.has(servedId(provider, model.providerModelId)) : null;
    const summary = report.models.find((entry) => entry.modelId === model.id);
    const own = records.filter((record) => record.intendedModel === model.id && record.actualModel === model.id && record.attempt > 0);
    const last = own.at(-1);
    const ok = summary !== undefined && summary.predictions > 0 && summary.succeeded - summary.viaFallback === summary.predictions;
    return {
      modelId: model.id,
      provider: model.provider,
      providerModelId: model.providerModelId,
      served,
      sanity: ok ? 'ok' : 'failed',
      errorClass: ok ? null : (last?.errorClass ?? 'not_sent'),
      error: ok ? null : (last?.errorMessage ?? 'the sanity prompt was not sent'),
      latencyMs: last ? Math.round(last.latencyMs) : null,
    };
  });
  return {
    ok: checks.every((check) => check.served !== false && check.sanity === 'ok'),
    runId: report.runId,
    providers: [...listings.entries()].map(([provider, listing]) => ({
      provider,
      listed: 'ids' in listing,
      served: 'ids' in listing ? listing.ids.size : null,
      ids: 'ids' in listing ? [...listing.ids].sort() : null,
      error: 'error' in listing ? listing.error : null,
    })),
    models: checks,
  };
}
