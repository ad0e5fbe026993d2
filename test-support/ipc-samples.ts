import type { Channel, ChannelInput } from '../src-shared/ipc';

/** A model of the built-in simulated fleet (resources/fleets/simulated.json). */
export const SAMPLE_MODEL = 'together/deepseek-v3';

/**
 * One valid input per contract channel, naming things that exist in a workspace holding the
 * simulated fleet. Tests mutate these to make hostile inputs and call every handler with them.
 */
export const VALID_INPUTS: { [C in Channel]: ChannelInput<C> } = {
  'fleet.status': {},
  'fleet.export': {},
  'fleet.import': { content: '{}', dryRun: true },
  'model.detail': { modelId: SAMPLE_MODEL },
  'model.checkConfig': {
    modelId: SAMPLE_MODEL,
    config: { promptVariant: 'BASE', timeoutMs: 30_000 },
  },
  'model.saveConfig': {
    modelId: SAMPLE_MODEL,
    config: { promptVariant: 'BASE', timeoutMs: 25_000 },
    note: 'shorter timeout',
  },
  'model.tryConfig': {
    modelId: SAMPLE_MODEL,
    config: { promptVariant: 'BASE', timeoutMs: 20_000 },
    fixtures: 1,
  },
  'model.diff': { modelId: SAMPLE_MODEL, from: 1, to: 1 },
  'model.rollback': { modelId: SAMPLE_MODEL, toVersion: 1 },
  'model.setVerdict': { modelId: SAMPLE_MODEL, verdict: 'active' },
  'model.enable': { modelId: SAMPLE_MODEL },
  'calls.list': { modelId: SAMPLE_MODEL, limit: 10 },
  'calls.request': { callId: 1 },
  'runs.list': { limit: 10 },
  'runs.get': { runId: 'canary-unknown' },
  'runs.startCanary': { models: [SAMPLE_MODEL], fixtures: 1, concurrency: 2 },
  'runs.cancel': { runId: 'canary-unknown' },
  'runs.resume': { runId: 'canary-unknown' },
  'prompts.catalog': {},
  'prompts.history': { kind: 'variant', name: 'BASE' },
  'prompts.compose': { modelId: SAMPLE_MODEL },
  'prompts.plan': { change: { kind: 'variant', name: 'BASE', text: 'Answer with JSON only.' } },
  'prompts.save': {
    change: { kind: 'variant', name: 'SAMPLE_VARIANT', text: 'Answer with JSON only.' },
    note: 'a sample variant',
  },
  'regress.start': { change: { kind: 'model', modelId: SAMPLE_MODEL } },
  'regress.report': { runId: 'regression-unknown' },
  'regress.rollback': { runId: 'regression-unknown' },
  'compare.start': {
    columns: [{ modelId: SAMPLE_MODEL }, { modelId: SAMPLE_MODEL, promptVariant: 'BASE' }],
    fixtures: 1,
  },
  'compare.get': { runId: 'compare-unknown' },
  'budget.summary': { days: 7, volumePerDay: 1000 },
  'settings.get': {},
  'settings.saveBudget': { budget: { dailyUsd: 5, fallbackCostCeiling: 3 } },
  'settings.saveProvider': {
    provider: {
      id: 'real-provider',
      baseUrl: 'https://api.example.com/v1',
      apiKeyEnv: 'REAL_PROVIDER_KEY',
    },
  },
  'settings.setKey': { providerId: 'real-provider', key: 'sk-sample-key-0123456789abcdef' },
  'settings.clearKey': { providerId: 'real-provider' },
  'status.export': {},
  'status.import': { content: '{}', dryRun: true },
  'notifications.list': { limit: 10 },
  'simulator.faults': {},
  'simulator.inject': { spec: { kind: '503', target: { provider: 'sim-together' }, count: 1 } },
  'simulator.clear': {},
};
