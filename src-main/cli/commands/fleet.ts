import path from 'node:path';
import { formatProblem } from '../../../src-shared/domain';
import { exportFleet, importFleet, readJsonFile, writeFileAtomic } from '../../services/fleet-files';
import { openWorkspace } from '../../services/workspace';
import { type CliContext, EXIT } from '../context';

export async function runFleetImport(options: { file: string }, context: CliContext): Promise<number> {
  const read = readJsonFile(options.file);
  if (!read.ok) {
    context.stderr.write(`fleetdeck: ${formatProblem(read.problem)}\n`);
    return EXIT.usage;
  }
  const workspace = openWorkspace(context.dataDir);
  try {
    const result = importFleet(workspace, read.value, `imported from ${path.basename(options.file)}`);
    for (const warning of result.warnings) context.stderr.write(`warning: ${formatProblem(warning)}\n`);
    if (!result.ok) {
      context.stderr.write(
        `fleetdeck: ${options.file} was not imported (${result.problems.length} problem${result.problems.length === 1 ? '' : 's'}; nothing changed):\n`,
      );
      for (const problem of result.problems) context.stderr.write(`  ${formatProblem(problem)}\n`);
      return EXIT.usage;
    }
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
