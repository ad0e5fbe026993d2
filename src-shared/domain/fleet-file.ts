import { z } from 'zod';
import { checkFallbackGraph } from '../fallback/graph';
import { priceRatio } from '../money';
import {
  DEFAULT_FALLBACK_COST_CEILING,
  FALLBACK_COST_WARN_RATIO,
  timeoutCeilingMs,
} from './limits';
import { type Model, ModelSchema } from './model';
import { type Provider, ProviderSchema } from './provider';

export const BudgetSchema = z
  .object({
    dailyUsd: z.number().min(0).max(1_000_000).default(5).describe('Hard daily spend cap in USD'),
    runUsd: z.number().min(0).max(1_000_000).optional().describe('Hard cap for one run in USD'),
    fallbackCostCeiling: z
      .number()
      .min(1)
      .max(100)
      .default(DEFAULT_FALLBACK_COST_CEILING)
      .describe('A fallback may cost at most this many times its original model'),
  })
  .strict();
export type Budget = z.infer<typeof BudgetSchema>;

export const FleetFileSchema = z
  .object({
    version: z.literal(1),
    task: z.string().min(1).max(64).default('football-score'),
    providers: z.array(ProviderSchema).min(1),
    models: z.array(ModelSchema).default([]),
    budget: BudgetSchema.default({
      dailyUsd: 5,
      fallbackCostCeiling: DEFAULT_FALLBACK_COST_CEILING,
    }),
  })
  .strict();
export type FleetFile = z.infer<typeof FleetFileSchema>;
export type FleetFileInput = z.input<typeof FleetFileSchema>;

export interface FleetProblem {
  /** JSON path such as `models[1].provider`; empty for the whole file. */
  path: string;
  message: string;
}

export type FleetCheck =
  | { ok: true; fleet: FleetFile; warnings: FleetProblem[] }
  | { ok: false; problems: FleetProblem[]; warnings: FleetProblem[] };

export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function formatProblem(problem: FleetProblem): string {
  return problem.path === '' ? problem.message : `${problem.path}: ${problem.message}`;
}

/** Shape errors from zod, each with its path and the offending value. */
export function zodProblems(error: z.ZodError): FleetProblem[] {
  return error.issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        message: 'unknown field',
      }));
    }
    const input = (issue as { input?: unknown }).input;
    const shown =
      issue.code === 'invalid_type' && input === undefined
        ? 'required field is missing'
        : `${issue.message} (got ${describeValue(input)})`;
    return [{ path: formatPath(issue.path), message: shown }];
  });
}

/**
 * Parses and cross-checks a fleet file. All-or-nothing: any problem means nothing is imported.
 * Every problem names its JSON path and the offending value. A fallback priced above the cost
 * ceiling is a warning only: the engine refuses it at call time.
 */
export interface FleetContext {
  /** Models already in the workspace: the file may name them as fallbacks. */
  models: readonly Pick<Model, 'id' | 'pricing' | 'config'>[];
}

export function checkFleetFile(raw: unknown, context: FleetContext = { models: [] }): FleetCheck {
  const parsed = FleetFileSchema.safeParse(raw, { reportInput: true });
  if (parsed.success) {
    const { problems, warnings } = crossCheck(
      parsed.data.providers.map((provider, index) => ({ index, entry: provider })),
      parsed.data.models.map((model, index) => ({ index, entry: model })),
      parsed.data.budget.fallbackCostCeiling,
      context,
    );
    return problems.length > 0
      ? { ok: false, problems, warnings }
      : { ok: true, fleet: parsed.data, warnings };
  }
  // A shape error still gets the cross-checks of every entry that is well-formed on its own, so
  // one import attempt lists every problem in the file.
  const file = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const wellFormed = <T>(list: unknown, schema: z.ZodType<T>) =>
    (Array.isArray(list) ? list : []).flatMap((item, index) => {
      const entry = schema.safeParse(item);
      return entry.success ? [{ index, entry: entry.data }] : [];
    });
  const ceiling = BudgetSchema.safeParse(file.budget ?? {});
  const { problems } = crossCheck(
    wellFormed(file.providers, ProviderSchema),
    wellFormed(file.models, ModelSchema),
    ceiling.success ? ceiling.data.fallbackCostCeiling : DEFAULT_FALLBACK_COST_CEILING,
    context,
    illFormedEntries(file),
  );
  return { ok: false, problems: [...zodProblems(parsed.error), ...problems], warnings: [] };
}

/**
 * Entries that failed their own shape check still name a provider or a model: the cross-checks
 * of the rest must not also call those unknown.
 */
interface IllFormed {
  providerIds: ReadonlySet<string>;
  models: readonly { id: string; fallback: string | null }[];
}

function illFormedEntries(file: Record<string, unknown>): IllFormed {
  const list = (value: unknown) => (Array.isArray(value) ? value : []) as Record<string, unknown>[];
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  const providerIds = new Set(
    list(file.providers)
      .filter((provider) => !ProviderSchema.safeParse(provider).success)
      .flatMap((provider) => text(provider?.id) ?? []),
  );
  const models = list(file.models)
    .filter((model) => !ModelSchema.safeParse(model).success)
    .flatMap((model) => {
      const id = text(model?.id);
      const config = model?.config as Record<string, unknown> | undefined;
      return id === null ? [] : [{ id, fallback: text(config?.fallback) }];
    });
  return { providerIds, models };
}

interface Indexed<T> {
  /** The entry's position in the file (entries that failed their shape check are skipped). */
  index: number;
  entry: T;
}

function crossCheck(
  providers: readonly Indexed<Provider>[],
  models: readonly Indexed<Model>[],
  fallbackCostCeiling: number,
  context: FleetContext,
  illFormed: IllFormed = { providerIds: new Set(), models: [] },
): { problems: FleetProblem[]; warnings: FleetProblem[] } {
  const problems: FleetProblem[] = [];
  const warnings: FleetProblem[] = [];

  const providerIds = new Set<string>();
  for (const { index, entry: provider } of providers) {
    if (providerIds.has(provider.id)) {
      problems.push({
        path: `providers[${index}].id`,
        message: `duplicate provider "${provider.id}"`,
      });
    }
    providerIds.add(provider.id);
  }

  const modelIndex = new Map<string, number>();
  for (const { index, entry: model } of models) {
    const at = `models[${index}]`;
    if (modelIndex.has(model.id)) {
      problems.push({ path: `${at}.id`, message: `duplicate model id "${model.id}"` });
    } else {
      modelIndex.set(model.id, index);
    }
    if (!providerIds.has(model.provider) && !illFormed.providerIds.has(model.provider)) {
      problems.push({ path: `${at}.provider`, message: `unknown provider "${model.provider}"` });
    }
    const ceiling = timeoutCeilingMs(model.premium);
    if (model.config.timeoutMs > ceiling) {
      problems.push({
        path: `${at}.config.timeoutMs`,
        message: `timeout ${model.config.timeoutMs} ms is over the ${ceiling} ms ceiling${
          model.premium ? ' for premium models' : ' (90000 ms is allowed only for premium models)'
        }`,
      });
    }
  }

  const workspaceOnly = context.models.filter((model) => !modelIndex.has(model.id));
  const graph = [...workspaceOnly, ...models.map(({ entry }) => entry)];
  for (const problem of checkFallbackGraph([
    ...graph.map((model) => ({ id: model.id, fallback: model.config.fallback })),
    ...illFormed.models,
  ])) {
    const index = modelIndex.get(problem.modelId);
    problems.push({
      path:
        index === undefined
          ? `(workspace model ${problem.modelId}).config.fallback`
          : `models[${index}].config.fallback`,
      message: problem.message,
    });
  }

  const byId = new Map(graph.map((model) => [model.id, model]));
  for (const { index, entry: model } of models) {
    const fallback = model.config.fallback === null ? undefined : byId.get(model.config.fallback);
    if (!fallback) continue;
    const path = `models[${index}].config.fallback`;
    const ratio = priceRatio(model.pricing, fallback.pricing);
    if (ratio === undefined) {
      warnings.push({
        path,
        message: `cost ceiling cannot be checked: ${model.pricing === null ? model.id : fallback.id} is unpriced`,
      });
    } else if (ratio > fallbackCostCeiling) {
      warnings.push({
        path,
        message: `fallback "${fallback.id}" costs ${ratio.toFixed(1)}x "${model.id}", over the ${fallbackCostCeiling}x ceiling: the engine will refuse it`,
      });
    } else if (ratio > FALLBACK_COST_WARN_RATIO) {
      warnings.push({
        path,
        message: `fallback "${fallback.id}" costs ${ratio.toFixed(1)}x "${model.id}" (above ${FALLBACK_COST_WARN_RATIO}x)`,
      });
    }
  }
  return { problems, warnings };
}
