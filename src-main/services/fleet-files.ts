import fs from 'node:fs';
import path from 'node:path';
import { checkFleetFile, type FleetFile, FleetFileSchema, type FleetProblem, formatProblem } from '../../src-shared/domain';
import { resourcesDir } from '../paths';
import type { Workspace } from './workspace';

export interface FleetImportResult {
  ok: boolean;
  problems: FleetProblem[];
  warnings: FleetProblem[];
  created: string[];
  updated: string[];
  unchanged: string[];
  /** Models already in the workspace that the file does not mention (left as they are). */
  untouched: string[];
}

/** Reads a JSON file, turning a syntax error into a problem that names the line and column. */
export function readJsonFile(file: string): { ok: true; value: unknown } | { ok: false; problem: FleetProblem } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, problem: { path: '', message: `cannot read ${file}: ${code ?? String(error)}` } };
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
 * models already stored (it may name them as fallbacks, and must not close a cycle through them);
 * only when nothing is wrong is anything written, in one transaction. Changed configs become new
 * versions; models the file does not mention are left as they are.
 */
export function importFleet(workspace: Workspace, raw: unknown, note: string): FleetImportResult {
  const result: FleetImportResult = {
    ok: false,
    problems: [],
    warnings: [],
    created: [],
    updated: [],
    unchanged: [],
    untouched: [],
  };
  const repository = workspace.fleet;
  const stored = repository.listModels();
  const checked = checkFleetFile(raw, { models: stored });
  result.warnings = checked.warnings;
  if (!checked.ok) {
    result.problems = checked.problems;
    return result;
  }
  const fleet = checked.fleet;
  const inFile = new Set(fleet.models.map((model) => model.id));
  result.untouched = stored.filter((model) => !inFile.has(model.id)).map((model) => model.id);

  repository.transaction(() => {
    for (const provider of fleet.providers) repository.upsertProvider(provider);
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
  });
  result.ok = true;
  return result;
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
