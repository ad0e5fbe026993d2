/**
 * Money is integer micro-dollars (1 USD = 1,000,000 µ$) everywhere; floats only at the edges
 * (operator input in dollars, display). Token prices are dollars per 1M tokens, so a token costs
 * exactly `pricePer1M` micro-dollars: cost(µ$) = tokens * pricePer1M, rounded up once per call.
 */
export type MicroUsd = number;

export const MICROS_PER_USD = 1_000_000;

export function usdToMicros(usd: number): MicroUsd {
  return Math.round(usd * MICROS_PER_USD);
}

export function microsToUsd(micros: MicroUsd): number {
  return micros / MICROS_PER_USD;
}

/**
 * A USD amount for people: an unknown figure (null) or an unpriced model in words, never $0;
 * two significant digits below a cent, so $0.00015 is not shown as $0.0001 in one place and
 * $0.00015 in another.
 */
export function displayUsd(
  value: number | null | undefined,
  options: { unpriced?: boolean } = {},
): string {
  if (options.unpriced) return 'unpriced';
  if (value === null || value === undefined || Number.isNaN(value)) return 'unknown';
  const magnitude = Math.abs(value);
  if (magnitude === 0) return '$0.00';
  if (magnitude < 0.0001) return value < 0 ? '-<$0.0001' : '<$0.0001';
  if (magnitude < 0.01) return `$${value.toPrecision(2)}`;
  if (magnitude < 100) return `$${value.toFixed(magnitude < 0.1 ? 4 : 2)}`;
  return `$${Math.round(value).toLocaleString('en-US')}`;
}

export function formatUsd(micros: MicroUsd | undefined, digits = 4): string {
  if (micros === undefined) return 'unpriced';
  return `$${microsToUsd(micros).toFixed(digits)}`;
}

export interface TokenPrices {
  promptPer1M: number;
  completionPer1M: number;
}

export interface TokenUsage {
  promptTokens: number | undefined;
  completionTokens: number | undefined;
  /** Reasoning tokens billed at the completion price when a provider reports them separately. */
  reasoningTokens?: number | undefined;
}

/**
 * Cost of one call's usage in micro-dollars, or undefined when the model is unpriced or the usage
 * is unknown: unknown is never $0. Reasoning tokens are added only when the provider reports them
 * outside completion tokens (`reasoningSeparate`).
 */
export function costOfUsage(
  prices: TokenPrices | null,
  usage: TokenUsage,
  reasoningSeparate = false,
): MicroUsd | undefined {
  if (prices === null) return undefined;
  if (usage.promptTokens === undefined || usage.completionTokens === undefined) return undefined;
  const outputTokens =
    usage.completionTokens + (reasoningSeparate ? (usage.reasoningTokens ?? 0) : 0);
  return Math.ceil(usage.promptTokens * prices.promptPer1M + outputTokens * prices.completionPer1M);
}

/** Worst case for admission: estimated prompt tokens plus every allowed completion token. */
export function worstCaseCost(
  prices: TokenPrices,
  estimatedPromptTokens: number,
  maxTokens: number,
): MicroUsd {
  return Math.ceil(estimatedPromptTokens * prices.promptPer1M + maxTokens * prices.completionPer1M);
}

/** Rough token estimate for admission (about 4 characters a token, rounded up, plus framing). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 8;
}

/**
 * How many times dearer `candidate` is than `original`: the larger of the prompt and completion
 * price ratios, so a fallback cannot hide a 7x completion price behind a cheap prompt price.
 * Infinity when the original is free and the candidate is not; undefined when either is unpriced.
 */
export function priceRatio(
  original: TokenPrices | null,
  candidate: TokenPrices | null,
): number | undefined {
  if (original === null || candidate === null) return undefined;
  const ratio = (a: number, b: number): number => (a === 0 ? (b === 0 ? 1 : Infinity) : b / a);
  return Math.max(
    ratio(original.promptPer1M, candidate.promptPer1M),
    ratio(original.completionPer1M, candidate.completionPer1M),
  );
}

/** Today's figures (UTC day) as the budget counts them: settled spend and open reservations. */
export interface DaySpend {
  spent: MicroUsd;
  reserved: MicroUsd;
}

export interface BudgetWarning {
  field: 'dailyUsd' | 'runUsd';
  message: string;
}

/**
 * What a budget about to be saved means for today's calls, when it leaves them no room: a cap at
 * or below today's spend (or below spend plus what calls in flight hold) refuses every priced call
 * until the day rolls over. A warning, never a refusal: lowering the cap to stop spending is
 * legitimate. A run cap counts only its run's own spend, so today's spend never makes it too low;
 * only a run cap of $0 refuses every priced call. Unpriced calls reserve nothing, so are never refused.
 */
export function budgetWarnings(
  budget: { dailyUsd: number; runUsd?: number | undefined },
  today: DaySpend,
): BudgetWarning[] {
  const warnings: BudgetWarning[] = [];
  const cap = usdToMicros(budget.dailyUsd);
  const held = today.spent + today.reserved;
  if (cap === 0) {
    warnings.push({
      field: 'dailyUsd',
      message: 'the daily budget is $0.00: every priced call will be refused until it is raised',
    });
  } else if (today.spent >= cap) {
    const [capText, spentText] = shownApart(cap, today.spent);
    warnings.push({
      field: 'dailyUsd',
      message: `the daily budget ${capText} ${relation(cap, today.spent)} today's spend ${spentText}: every priced call will be refused until the day rolls over (UTC)`,
    });
  } else if (held >= cap) {
    const [capText, heldText] = shownApart(cap, held);
    warnings.push({
      field: 'dailyUsd',
      message: `the daily budget ${capText} ${relation(cap, held)} today's spend ${shown(today.spent)} plus ${shown(today.reserved)} reserved for calls in flight (${heldText} in all): new priced calls may be refused until those settle, or until the day rolls over (UTC)`,
    });
  }
  if (budget.runUsd !== undefined && usdToMicros(budget.runUsd) === 0) {
    warnings.push({
      field: 'runUsd',
      message:
        'the per-run cap is $0.00: every priced call of a run will be refused until it is raised',
    });
  }
  return warnings;
}

function relation(cap: MicroUsd, figure: MicroUsd): string {
  return cap < figure ? 'is below' : 'equals';
}

function shown(micros: MicroUsd): string {
  return displayUsd(microsToUsd(micros));
}

/** Both amounts for people, to the micro-dollar when rounding would show two different ones alike. */
function shownApart(cap: MicroUsd, figure: MicroUsd): [string, string] {
  const pair: [string, string] = [shown(cap), shown(figure)];
  if (cap === figure || pair[0] !== pair[1]) return pair;
  return [formatUsd(cap, 6), formatUsd(figure, 6)];
}
