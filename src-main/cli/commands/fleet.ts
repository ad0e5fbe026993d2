import path from 'node:path';
import { checkFleetFile, type FleetProblem, formatProblem } from '../../../src-shared/domain';
import { exportFleet, importFleet, readJsonFile, writeFileAtomic } from '../../services/fleet-files';
import { openWorkspace, workspaceExists } from '../../services/workspace';
import { type CliContext, EXIT } from '../context';

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
  if (!workspaceExists(context.dataDir)) {
    const check = checkFleetFile(read.value);
    if (!check.ok) return refuse(check);
  }
  const workspace = openWorkspace(context.dataDir);
  try {
    const result = importFleet(workspace, read.value, `imported from ${path.basename(options.file)}`);
    if (!result.ok) return refuse(result);
    for (const warning of result.warnings) context.stderr.write(`warning: ${formatProblem(warning)}\n`);
    context.stdout.write(
      `imported ${options.file} into ${context.dataDir}: ${result.created.length} created, ${result.updated.length} updated, ${result.unchanged.length} unchanged` +
        (result.untouched.length > 0 ? `, ${result.untouched.length} workspace models not in the file left as they are` : '') +
        '\n',
    );
    return EXIT.ok;
  } finally {
    workspace.close();
  }
}

export async function runFleetExport(options: { file: string }, context: CliContext): Promise<number> {
  const workspace = openWorkspace(context.dataDir);
  try {
    const fleet = exportFleet(workspace);
    writeFileAtomic(options.file, `${JSON.stringify(fleet, null, 2)}\n`);
    context.stdout.write(`exported ${fleet.models.length} models to ${options.file}\n`);
    return EXIT.ok;
  } finally {
    workspace.close();
  }
}
