import { worstCaseCost } from '../money';

export interface EstimateHop {
  id: string;
  provider: string;
  timeoutMs: number;
  maxTokens: number;
  pricing: { promptPer1M: number; completionPer1M: number } | null;
  /** Observed on this model's recent calls; null when it has none. */
  observed: {
    p50LatencyMs: number | null;
    p50PromptTokens: number | null;
    p50CompletionTokens: number | null;
    p99CompletionTokens: number | null;
  };
}

export interface EstimateModel extends EstimateHop {
  /** Its fallback chain, in order (at most 3 deep). */
  chain: readonly EstimateHop[];
}

export interface EstimateInput {
  models: readonly EstimateModel[];
  providers: readonly { id: string; maxConcurrency: number }[];
  /** Items in flight for a whole run. */
  concurrency: number;
  /** Attempts per model per prediction (1 + retries). */
  maxAttempts: number;
  /** Estimated prompt tokens of one prediction (the composed prompt). */
  promptTokens: number;
  /** The operator's window: one fleet pass must finish within it (seeds: 30 min before kickoff). */
  windowMs: number;
}

export interface FleetEstimate {
  models: number;
  expected: { wallMs: number; costMicros: number };
  worst: { wallMs: number; costMicros: number };
  byProvider: {
    provider: string;
    calls: number;
    maxConcurrency: number;
    expectedMs: number;
    worstMs: number;
  }[];
  /** Models (or fallbacks) without prices: their cost is not in the totals. */
  unpriced: string[];
  windowMs: number;
  warning: string | null;
}

function cost(hop: EstimateHop, promptTokens: number, completionTokens: number): number {
  return hop.pricing === null ? 0 : worstCaseCost(hop.pricing, promptTokens, completionTokens);
}

const minutes = (ms: number) => `${(ms / 60_000).toFixed(1)} min`;

/**
 * Expected and worst-case wall time and cost of one prediction from every model given.
 * Expected: each model answers on its first attempt in its observed p50 latency (half its timeout
 * when it has no history) with p50 tokens. Worst: every hop of the chain uses every attempt up to
 * its timeout and p99 (else max) tokens. Wall time is the slowest provider's queue (its calls
 * over its concurrency limit), never less than all calls over the run's concurrency.
 */
export function estimateFleetPass(input: EstimateInput): FleetEstimate {
  const perProvider = new Map<string, { calls: number; expected: number; worst: number }>();
  const unpriced = new Set<string>();
  let expectedCost = 0;
  let worstCost = 0;
  let expectedTotal = 0;
  let worstTotal = 0;
  const add = (provider: string, expected: number, worst: number, calls: number) => {
    const entry = perProvider.get(provider) ?? { calls: 0, expected: 0, worst: 0 };
    entry.calls += calls;
    entry.expected += expected;
    entry.worst += worst;
    perProvider.set(provider, entry);
    expectedTotal += expected;
    worstTotal += worst;
  };
  for (const model of input.models) {
    const prompt = model.observed.p50PromptTokens ?? input.promptTokens;
    const expectedMs = model.observed.p50LatencyMs ?? model.timeoutMs / 2;
    expectedCost += cost(
      model,
      prompt,
      model.observed.p50CompletionTokens ?? Math.ceil(model.maxTokens / 2),
    );
    add(model.provider, expectedMs, 0, 1);
    for (const hop of [model, ...model.chain]) {
      if (hop.pricing === null) unpriced.add(hop.id);
      const hopPrompt = hop.observed.p50PromptTokens ?? input.promptTokens;
      worstCost +=
        input.maxAttempts * cost(hop, hopPrompt, hop.observed.p99CompletionTokens ?? hop.maxTokens);
      add(hop.provider, 0, input.maxAttempts * hop.timeoutMs, hop === model ? 0 : 1);
    }
  }
  const limits = new Map(input.providers.map((provider) => [provider.id, provider.maxConcurrency]));
  const byProvider = [...perProvider.entries()]
    .map(([provider, entry]) => {
      const maxConcurrency = Math.max(1, Math.min(limits.get(provider) ?? 1, input.concurrency));
      return {
        provider,
        calls: entry.calls,
        maxConcurrency,
        expectedMs: Math.round(entry.expected / maxConcurrency),
        worstMs: Math.round(entry.worst / maxConcurrency),
      };
    })
    .sort((a, b) => a.provider.localeCompare(b.provider));
  const concurrency = Math.max(1, input.concurrency);
  const expectedWall = Math.max(
    Math.round(expectedTotal / concurrency),
    ...byProvider.map((entry) => entry.expectedMs),
    0,
  );
  const worstWall = Math.max(
    Math.round(worstTotal / concurrency),
    ...byProvider.map((entry) => entry.worstMs),
    0,
  );
  const warning =
    worstWall > input.windowMs
      ? `worst case ${minutes(worstWall)} passes the ${minutes(input.windowMs)} window: lower timeouts, retries or fallback depth, or raise provider limits`
      : null;
  return {
    models: input.models.length,
    expected: { wallMs: expectedWall, costMicros: expectedCost },
    worst: { wallMs: worstWall, costMicros: worstCost },
    byProvider,
    unpriced: [...unpriced].sort(),
    windowMs: input.windowMs,
    warning,
  };
}
