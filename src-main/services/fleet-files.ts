import fs from 'node:fs';
import path from 'node:path';
import { checkFleetFile, type FleetFile, FleetFileSchema, type FleetProblem, formatProblem } from '../../src-shared/domain';
import { FILE_SYSTEM_REASONS, InputError } from '../../src-shared/errors';
import { diffFields, type FieldChange } from '../../src-shared/lifecycle';
import { budgetWarnings, type DaySpend } from '../../src-shared/money';
import { resourcesDir } from '../paths';
import { EngineStateRepository, RunRepository } from '../store';
import { loadPromptCatalog } from './prompt-catalog';
import { promptProblemsWith } from './prompt-edits';
import { listTaskPacks, loadTaskPack } from './task-packs';
import type { Workspace } from './workspace';

export interface ProviderChanges {
  created: string[];
  /** Providers whose settings the file changes (maxConcurrency, rpm, limits, ...), field by field. */
  updated: { id: string; changes: FieldChange[] }[];
  unchanged: string[];
}

/** A model whose calls an import sends to a simulated provider from a real one, or back: billing stops or starts. */
export interface SimulationMove {
  modelId: string;
  /** The provider it went to before the import, and the one it goes to now (may be the same, its flag changed). */
  from: string;
  to: string;
  /** Whether it is simulated now. */
  simulated: boolean;
}

export interface FleetImportResult {
  ok: boolean;
  problems: FleetProblem[];
  warnings: FleetProblem[];
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Models already in the workspace that the file does not mention (left as they are). */
  untouched: string[];
  providers: ProviderChanges;
  /** Workspace settings the import changes: `task`, and `budget.<field>` for each budget field. */
  settings: FieldChange[];
  /** Workspace models (in the file or not) whose provider is now simulated and was real, or back. */
  simulation: SimulationMove[];
}

/** Thrown inside the import's transaction to roll every write back when a check fails. */
class ImportRefused extends Error {
  constructor(readonly problems: FleetProblem[]) {
    super('fleet import refused');
  }
}

const READ_REFUSALS: Readonly<Record<string, string>> = {
  ...FILE_SYSTEM_REASONS,
  ENOENT: 'no such file',
  EISDIR: 'it is a directory, not a file',
};

/** Why a file could not be read, in words an operator acts on: "no such file (ENOENT)". */
export function describeReadError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === undefined) return error instanceof Error ? error.message : String(error);
  const reason = READ_REFUSALS[code];
  return reason === undefined ? code : `${reason} (${code})`;
}

/** Reads a JSON file, turning a syntax error into a problem that names the line and column. */
export function readJsonFile(file: string): { ok: true; value: unknown } | { ok: false; problem: FleetProblem } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, problem: { path: '', message: `cannot read ${file}: ${describeReadError(error)}` } };
  }
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return {
      ok: false,
      problem: { path: '', message: `${file} is not valid JSON: ${(error as Error).message}` },
    };
  }
}

/**
 * Imports a fleet file into the workspace, all or nothing: the file is checked together with the
 * models already stored (it may name them as fallbacks, and must not close a cycle through them),
 * its task must be a known task pack, and every model's prompt must compose (its variant exists
 * among the built-in and saved ones) with that task. Only when nothing is wrong is anything kept:
 * the writes and the prompt checks share one transaction, rolled back on any problem. Changed
 * configs become new versions; models the file does not mention are left as they are. A budget
 * that leaves today's calls no room is imported with a warning, measured against `today` (the
 * console passes its ledger's figures), else against the spend and reservations stored for today.
 */
export function importFleet(workspace: Workspace, raw: unknown, note: string, options: { today?: DaySpend } = {}): FleetImportResult {
  /** A result with nothing imported yet: refused when it has problems. */
  const empty = (problems: FleetProblem[], warnings: FleetProblem[]): FleetImportResult => ({
    ok: problems.length === 0,
    problems,
    warnings,
    created: [],
    updated: [],
    unchanged: [],
    untouched: [],
    providers: { created: [], updated: [], unchanged: [] },
    settings: [],
    simulation: [],
  });
  const repository = workspace.fleet;
  const stored = repository.listModels();
  const checked = checkFleetFile(raw, { models: stored });
  const file = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const unknownTask = taskProblems(checked.ok ? checked.fleet.task : file.task);
  if (!checked.ok || unknownTask.length > 0) {
    return empty([...(checked.ok ? [] : checked.problems), ...unknownTask], checked.warnings);
  }
  const fleet = checked.fleet;
  const inFile = new Set(fleet.models.map((model) => model.id));
  const result: FleetImportResult = {
    ...empty([], checked.warnings),
    untouched: stored.filter((model) => !inFile.has(model.id)).map((model) => model.id),
  };
  const previousTask = repository.task();
  const simulatedBefore = new Map(repository.listProviders().map((provider) => [provider.id, provider.simulated]));
  const settings = [
    ...diffFields({ task: previousTask }, { task: fleet.task }),
    ...diffFields(repository.budget(), fleet.budget).map((change) => ({ ...change, field: `budget.${change.field}` })),
  ];

  try {
    repository.transaction(() => {
      for (const provider of fleet.providers) {
        const before = repository.getProvider(provider.id);
        repository.upsertProvider(provider);
        const changes = before ? diffFields(before, repository.getProvider(provider.id) ?? {}) : [];
        if (!before) result.providers.created.push(provider.id);
        else if (changes.length > 0) result.providers.updated.push({ id: provider.id, changes });
        else result.providers.unchanged.push(provider.id);
      }
      for (const model of fleet.models) {
        const before = repository.getModel(model.id);
        repository.upsertModel(model, note);
        if (!before) result.created.push(model.id);
        else if (JSON.stringify(before) !== JSON.stringify(repository.getModel(model.id))) {
          result.updated.push(model.id);
        } else result.unchanged.push(model.id);
      }
      repository.setSetting('budget', fleet.budget);
      repository.setSetting('task', fleet.task);
      // Checked after the writes so each prompt composes with the file's task and config, exactly
      // as `config set` composes it; a change of task recomposes the models the file leaves out too.
      const recomposed = fleet.task === previousTask ? [] : result.untouched;
      const catalog = loadPromptCatalog(workspace);
      const problems = [
        ...fleet.models.map((model, index) => ({ id: model.id, at: `models[${index}]` })),
        ...recomposed.map((id) => ({ id, at: `(workspace model ${id})` })),
      ].flatMap(({ id, at }) =>
        promptProblemsWith(catalog, repository.requireModel(id)).map((message) => ({
          path: `${at}.config.promptVariant`,
          message,
        })),
      );
      if (problems.length > 0) throw new ImportRefused(problems);
    });
  } catch (error) {
    if (error instanceof ImportRefused) return empty(error.problems, checked.warnings);
    throw error;
  }
  result.settings = settings;
  result.simulation = simulationMoves(stored, simulatedBefore, repository);
  const today = options.today ?? storedSpendToday(workspace);
  result.warnings = [
    ...result.warnings,
    ...budgetWarnings(fleet.budget, today).map((warning) => ({ path: `budget.${warning.field}`, message: warning.message })),
  ];
  return result;
}

/** The stored models whose provider, after the import, is simulated where it was real before, or the reverse. */
function simulationMoves(
  stored: readonly { id: string; provider: string }[],
  simulatedBefore: ReadonlyMap<string, boolean>,
  repository: Workspace['fleet'],
): SimulationMove[] {
  // Read once: a model and a provider per stored model would be two queries and parses each.
  const providerOf = new Map(repository.listModels().map((model) => [model.id, model.provider]));
  const simulatedAfter = new Map(repository.listProviders().map((provider) => [provider.id, provider.simulated]));
  return stored.flatMap((before) => {
    const provider = providerOf.get(before.id) ?? before.provider;
    const simulated = simulatedAfter.get(provider) ?? false;
    if (simulated === (simulatedBefore.get(before.provider) ?? false)) return [];
    return [{ modelId: before.id, from: before.provider, to: provider, simulated }];
  });
}

/** Today's (UTC) spend and open reservations as the store holds them, as the budget ledger reads them. */
function storedSpendToday(workspace: Workspace, now = new Date()): DaySpend {
  const day = now.toISOString().slice(0, 10);
  return {
    spent: new RunRepository(workspace.db).spentSince(`${day}T00:00:00.000Z`),
    reserved: new EngineStateRepository(workspace.db).reservedOn(day),
  };
}

/** The file's task must be a task pack that loads; the problem names the known ones. */
export function taskProblems(task: unknown): FleetProblem[] {
  // Not a string: the shape check reports it. Missing: the default task.
  if (typeof task !== 'string') return [];
  const known = listTaskPacks();
  if (!known.includes(task)) {
    return [{ path: 'task', message: `unknown task "${task}" (known tasks: ${known.join(', ')})` }];
  }
  try {
    loadTaskPack(task);
  } catch (error) {
    if (error instanceof InputError) return [{ path: 'task', message: error.message }];
    throw error;
  }
  return [];
}

/** Whether an import changed (a dry run: would change) anything at all. */
export function importChanges(result: FleetImportResult): boolean {
  return (
    result.created.length + result.updated.length + result.providers.created.length + result.providers.updated.length + result.settings.length > 0
  );
}

/**
 * Every change an import made (or, on a dry run, would make), in one line: the models' counts,
 * then the providers, the models moved between a simulated and a real provider (whether their
 * calls are billed changes), the task and the budget fields that changed, each from -> to.
 */
export function describeImport(result: FleetImportResult): string {
  const shown = (value: unknown) => (value === null || value === undefined ? 'none' : typeof value === 'string' ? value : JSON.stringify(value));
  // A base URL can carry a credential (user:password@, ?key=): the summary goes to CI logs.
  const change = ({ field, from, to }: FieldChange) =>
    field === 'baseUrl' ? `${field} ${shownUrl(from)} -> ${shownUrl(to)}` : `${field} ${shown(from)} -> ${shown(to)}`;
  const parts = [
    `${result.created.length} created, ${result.updated.length} updated, ${result.unchanged.length} unchanged` +
      (result.untouched.length > 0 ? `, ${result.untouched.length} workspace models not in the file left as they are` : ''),
  ];
  for (const id of result.providers.created) parts.push(`provider ${id} created`);
  for (const { id, changes } of result.providers.updated) parts.push(`provider ${id} updated: ${changes.map(change).join(', ')}`);
  parts.push(...describeSimulationMoves(result.simulation));
  const task = result.settings.filter((entry) => entry.field === 'task');
  const budget = result.settings.filter((entry) => entry.field.startsWith('budget.'));
  if (task.length > 0) parts.push(task.map(change).join(''));
  if (budget.length > 0) parts.push(budget.map(change).join(', '));
  return parts.join('; ');
}

/**
 * Models moved between a simulated and a real provider, the ones making the same move together:
 * "model X now goes to provider together (real; was sim-together, simulated): its calls will be billed".
 */
function describeSimulationMoves(moves: readonly SimulationMove[]): string[] {
  const groups = new Map<string, SimulationMove[]>();
  for (const move of moves) {
    const key = `${move.from}\u0000${move.to}\u0000${move.simulated}`;
    groups.set(key, [...(groups.get(key) ?? []), move]);
  }
  return [...groups.values()].map((group) => {
    const { from, to, simulated } = group[0]!;
    const one = group.length === 1;
    const now = simulated ? 'simulated' : 'real';
    const was = simulated ? 'real' : 'simulated';
    const models = `${one ? 'model' : 'models'} ${group.map((move) => move.modelId).join(', ')}`;
    const consequence = `${one ? 'its' : 'their'} calls ${simulated ? 'cost nothing' : 'will be billed'}`;
    return `${models} now ${one ? 'goes' : 'go'} to provider ${to} (${now}; was ${from === to ? '' : `${from}, `}${was}): ${consequence}`;
  });
}

/** A base URL without what could be a credential: its user info and its query are masked. */
function shownUrl(value: unknown): string {
  if (typeof value !== 'string') return value === null || value === undefined ? 'none' : JSON.stringify(value);
  try {
    const url = new URL(value);
    if (url.username !== '' || url.password !== '') {
      url.username = '***';
      url.password = '';
    }
    const masked = url.search === '' ? url.toString() : `${url.toString().slice(0, -url.search.length)}?…`;
    return masked;
  } catch {
    return '(not a URL)';
  }
}

/**
 * Imports the built-in simulated fleet (resources/fleets/simulated.json): what `fleetdeck init`
 * and the console's first launch give a new workspace. Throws if the shipped file is broken.
 */
export function importSimulatedFleet(workspace: Workspace, note: string): FleetImportResult {
  const read = readJsonFile(resourcesDir('fleets', 'simulated.json'));
  if (!read.ok) throw new Error(formatProblem(read.problem));
  const result = importFleet(workspace, read.value, note);
  if (!result.ok) {
    throw new Error(`the built-in simulated fleet is invalid: ${result.problems.map(formatProblem).join('; ')}`);
  }
  return result;
}

/** The workspace as a fleet file v1 (the same format `importFleet` reads). */
export function exportFleet(workspace: Workspace): FleetFile {
  const repository = workspace.fleet;
  return FleetFileSchema.parse({
    version: 1,
    task: repository.task(),
    providers: repository.listProviders(),
    models: repository.listModels().map(({ configVersion: _version, ...model }) => model),
    budget: repository.budget(),
  });
}

/** Writes `content` to `file` atomically: a temporary file in the same folder, then a rename. */
export function writeFileAtomic(file: string, content: string): void {
  const directory = path.dirname(path.resolve(file));
  fs.mkdirSync(directory, { recursive: true });
  const temporary = path.join(directory, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    fs.writeFileSync(temporary, content, { mode: 0o644 });
    fs.renameSync(temporary, file);
  } catch (error) {
    fs.rmSync(temporary, { force: true });
    throw error;
  }
}
