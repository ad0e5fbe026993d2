import fs from 'node:fs';
import path from 'node:path';
import { checkFleetFile, type FleetProblem, formatProblem } from '../../../src-shared/domain';
import { describeImport, exportFleet, importFleet, readJsonFile, taskProblems } from '../../services/fleet-files';
import { openWorkspace, workspaceExists } from '../../services/workspace';
import { DATABASE_FILE } from '../../store';
import { type CliContext, EXIT, UsageError } from '../context';
import { writeOutputFile } from '../output-file';
import { requireWorkspace } from './lifecycle-shared';

export async function runFleetImport(options: { file: string }, context: CliContext): Promise<number> {
  const read = readJsonFile(options.file);
  if (!read.ok) {
    context.stderr.write(`fleetdeck: ${formatProblem(read.problem)}\n`);
    return EXIT.usage;
  }
  const refuse = (check: { problems: readonly FleetProblem[]; warnings: readonly FleetProblem[] }): number => {
    for (const warning of check.warnings) context.stderr.write(`warning: ${formatProblem(warning)}\n`);
    context.stderr.write(
      `fleetdeck: ${options.file} was not imported (${check.problems.length} problem${check.problems.length === 1 ? '' : 's'}; nothing changed):\n`,
    );
    for (const problem of check.problems) context.stderr.write(`  ${formatProblem(problem)}\n`);
    return EXIT.usage;
  };
  // A file refused before there is a workspace leaves no empty database behind.
  const existed = workspaceExists(context.dataDir);
  const folderExisted = fs.existsSync(context.dataDir);
  if (!existed) {
    const check = checkFleetFile(read.value);
    if (!check.ok) return refuse(check);
    const task = taskProblems(check.fleet.task);
    if (task.length > 0) return refuse({ problems: task, warnings: check.warnings });
  }
  const workspace = openWorkspace(context.dataDir);
  let refused = false;
  try {
    const result = importFleet(workspace, read.value, `imported from ${path.basename(options.file)}`);
    if (!result.ok) {
      refused = true;
      return refuse(result);
    }
    for (const warning of result.warnings) context.stderr.write(`warning: ${formatProblem(warning)}\n`);
    context.stdout.write(`imported ${options.file} into ${context.dataDir}: ${describeImport(result)}\n`);
    return EXIT.ok;
  } finally {
    workspace.close();
    // Refused by the checks that need a database (prompt variants): the one opened for them goes.
    if (refused && !existed) removeNewWorkspace(context.dataDir, folderExisted);
  }
}

/** Deletes a database this command created (and its folder, if it made that too and it is empty). */
function removeNewWorkspace(dataDir: string, folderExisted: boolean): void {
  for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(path.join(dataDir, `${DATABASE_FILE}${suffix}`), { force: true });
  if (!folderExisted && fs.readdirSync(dataDir).length === 0) fs.rmdirSync(dataDir);
}

export async function runFleetExport(options: { file: string }, context: CliContext): Promise<number> {
  const workspace = requireWorkspace(context);
  try {
    // A fleet file names at least one provider; a workspace without one has nothing to write.
    if (workspace.fleet.listProviders().length === 0) throw new UsageError(`the workspace in ${context.dataDir} has no providers to export`);
    const fleet = exportFleet(workspace);
    writeOutputFile(options.file, `${JSON.stringify(fleet, null, 2)}\n`);
    context.stdout.write(`exported ${fleet.models.length} models to ${options.file}\n`);
    return EXIT.ok;
  } finally {
    workspace.close();
  }
}
