import type { CallRecord } from '../../src-shared/domain';
import { InputError, NotFoundError } from '../../src-shared/errors';
import type { CompareView } from '../../src-shared/ipc';
import { rate, sameValue } from '../../src-shared/lifecycle';
import { checkQuality } from '../../src-shared/quality';
import { canaryGroups } from './canary';
import type { EngineHost } from './engine-host';
import { usd } from './lifecycle-facts';
import { loadPromptCatalog, promptVersionsOf, variantResolver } from './prompt-catalog';
import { currentModels, executeRun, itemKey, type PlannedItem, type RunEvent } from './run-executor';

export interface CompareColumn {
  modelId: string;
  /** A stored config version (default: the current one). */
  configVersion?: number | undefined;
  /** A prompt variant instead of the config's own. */
  promptVariant?: string | undefined;
}

export const MIN_COLUMNS = 2;
export const MAX_COLUMNS = 6;
export const DEFAULT_COMPARE_FIXTURES = 10;

/** "m1@v3", "m1@v4 JSON_STRICT": how a column reads in headers and the CLI. */
export function columnLabel(column: { modelId: string; configVersion: number; promptVariant: string }, overridden: boolean): string {
  return `${column.modelId}@v${column.configVersion}${overridden ? ` ${column.promptVariant}` : ''}`;
}

/** Parses the CLI's column list: `ID[@vN][#VARIANT]`, comma-separated. */
export function parseColumns(text: string): CompareColumn[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [head, variant] = entry.split('#') as [string, string | undefined];
      const versioned = /^(.+)@v?(\d+)$/.exec(head);
      return {
        modelId: versioned ? versioned[1]! : head,
        configVersion: versioned ? Number(versioned[2]) : undefined,
        promptVariant: variant === undefined || variant === '' ? undefined : variant,
      };
    });
}

export interface CompareOptions {
  concurrency?: number;
  signal?: AbortSignal | undefined;
  onEvent?: ((event: RunEvent) => void) | undefined;
}

/**
 * A side-by-side run: 2-6 columns, each a model at a config version and/or with a prompt variant,
 * over the same fixtures, in one run of kind `compare`. The same model may appear at two
 * versions. Fallbacks are off in a compare run, so every cell is the column's own reply.
 */
export async function runCompare(host: EngineHost, columns: readonly CompareColumn[], fixtures: number, options: CompareOptions = {}): Promise<CompareView> {
  if (columns.length < MIN_COLUMNS || columns.length > MAX_COLUMNS) throw new InputError(`a side-by-side run has ${MIN_COLUMNS} to ${MAX_COLUMNS} columns, got ${columns.length}`);
  const catalog = loadPromptCatalog(host.workspace);
  const resolve = variantResolver(catalog.variants);
  const pinned = columns.map((column) => {
    const model = host.workspace.fleet.getModel(column.modelId);
    if (!model) throw new InputError(`unknown model "${column.modelId}"`);
    const version = column.configVersion ?? model.configVersion;
    const stored = host.workspace.fleet.getConfigVersion(model.id, version);
    if (!stored) throw new InputError(`${model.id} has no config v${version} (current v${model.configVersion})`);
    if (column.promptVariant !== undefined && !resolve(column.promptVariant)) throw new InputError(`unknown prompt variant "${column.promptVariant}"`);
    return { ...model, config: { ...stored.config, fallback: null }, configVersion: version };
  });
  const groups = canaryGroups(catalog.task, fixtures);
  const items: PlannedItem[] = groups.flatMap((group) =>
    columns.map((column, index) => ({
      key: itemKey(column.modelId, group, index),
      modelId: column.modelId,
      fixtures: group,
      explicit: true,
      promptVariant: column.promptVariant,
      column: index,
      model: pinned[index],
    })),
  );
  const outcome = await executeRun(host, {
    kind: 'compare',
    task: catalog.task,
    items,
    models: currentModels(host),
    concurrency: options.concurrency ?? 8,
    signal: options.signal,
    onEvent: options.onEvent,
    variants: catalog.variants,
    componentVersions: catalog.componentVersions,
  });
  const variantsUsed = columns.map((column, index) => column.promptVariant ?? pinned[index]!.config.promptVariant);
  const view = compareView(host, outcome.runId);
  host.runs.finishRun(outcome.runId, outcome.status, new Date().toISOString(), { compare: view, promptVersions: promptVersionsOf(catalog, variantsUsed) });
  return view;
}

function itemCost(records: readonly CallRecord[]): number | null {
  let total = 0;
  for (const record of records) {
    if (record.costMicros === null) {
      if (record.httpStatus !== null && record.httpStatus < 400) return null;
      continue;
    }
    total += record.costMicros;
  }
  return total;
}

/** A side-by-side run as a table, built from its plan and records (while it runs, too). */
export function compareView(host: EngineHost, runId: string): CompareView {
  const run = host.runs.getRun(runId);
  if (run?.kind !== 'compare') throw new NotFoundError(`no side-by-side run ${runId}`);
  const catalog = loadPromptCatalog(host.workspace);
  const fixtures = new Map(catalog.task.fixtures.map((fixture) => [fixture.id, fixture]));
  const byItem = new Map<string, CallRecord[]>();
  for (const record of host.runs.records({ runId })) {
    const list = byItem.get(record.itemKey);
    if (list) list.push(record);
    else byItem.set(record.itemKey, [record]);
  }
  const columnCount = Math.max(0, ...run.items.map((item) => (item.column ?? 0) + 1));
  const specs = Array.from({ length: columnCount }, (_, index) => {
    const item = run.items.find((entry) => (entry.column ?? 0) === index)!;
    const config = host.workspace.fleet.getConfigVersion(item.modelId, item.configVersion)?.config;
    const promptVariant = item.promptVariant ?? config?.promptVariant ?? 'BASE';
    return { modelId: item.modelId, configVersion: item.configVersion, promptVariant, overridden: item.promptVariant !== undefined };
  });
  const rowOrder: string[] = [];
  const rows = new Map<string, CompareView['rows'][number]['cells']>();
  const perColumn = specs.map(() => ({ done: 0, ok: 0, cost: 0 as number | null, outputs: [] as { fixtureId: string; value: unknown; replyText: string }[] }));
  for (const item of run.items) {
    const column = item.column ?? 0;
    if (!rows.has(item.fixtureId)) {
      rows.set(item.fixtureId, Array.from({ length: columnCount }, () => null));
      rowOrder.push(item.fixtureId);
    }
    const records = byItem.get(item.key) ?? [];
    const final = records.find((record) => record.final);
    if (!final) continue;
    const ok = final.status === 'success';
    const cost = itemCost(records);
    const figures = perColumn[column]!;
    figures.done++;
    if (ok) {
      figures.ok++;
      figures.outputs.push({ fixtureId: final.fixtureId, value: final.parsedValue, replyText: final.replyExcerpt });
    }
    figures.cost = figures.cost === null || cost === null ? null : figures.cost + cost;
    rows.get(item.fixtureId)![column] = {
      ok,
      value: final.parsedValue ?? null,
      replyExcerpt: final.replyExcerpt,
      coercions: final.coercions,
      errorClass: final.errorClass,
      errorMessage: final.errorMessage,
      latencyMs: final.latencyMs,
      promptTokens: final.promptTokens,
      completionTokens: final.completionTokens,
      costUsd: usd(cost),
      callId: final.id ?? null,
    };
  }
  return {
    runId,
    status: run.status,
    columns: specs.map((spec, index) => {
      const figures = perColumn[index]!;
      const failed = figures.done - figures.ok;
      const warnings = [
        ...(figures.outputs.length > 0 ? checkQuality(catalog.task, figures.outputs, catalog.task.fixtures).map((warning) => warning.message) : []),
        ...(failed > 0 ? [`${failed} of ${figures.done} fixtures unanswered`] : []),
      ];
      return {
        label: columnLabel(spec, spec.overridden),
        modelId: spec.modelId,
        configVersion: spec.configVersion,
        promptVariant: spec.promptVariant,
        successRate: rate(figures.ok, figures.done),
        costPerSuccessUsd: figures.cost === null || figures.ok === 0 ? null : usd(Math.round(figures.cost / figures.ok)),
        warnings,
      };
    }),
    rows: rowOrder.map((fixtureId) => {
      const cells = rows.get(fixtureId)!;
      const present = cells.filter((cell) => cell !== null);
      const differs = present.some((cell) => cell.ok !== present[0]!.ok || !sameValue(cell.value, present[0]!.value));
      const label = fixtureId
        .split('+')
        .map((id) => {
          const fixture = fixtures.get(id);
          return fixture ? `${fixture.home.name} vs ${fixture.away.name}` : id;
        })
        .join('; ');
      return { fixtureId, label, differs, cells };
    }),
  };
}
