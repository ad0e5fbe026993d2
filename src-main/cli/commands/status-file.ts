import fs from 'node:fs';
import { describeReadError } from '../../services/fleet-files';
import { exportStatusFile, importStatus } from '../../services/status-file';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { writingOutputFile } from '../output-file';
import { requireWorkspace } from './lifecycle-shared';

/** Writes model-status.json atomically. */
export async function runExportStatus(options: { file: string }, context: CliContext): Promise<number> {
  const workspace = requireWorkspace(context);
  try {
    const status = writingOutputFile(options.file, () => exportStatusFile(workspace, options.file));
    context.stderr.write(`wrote ${options.file}: ${Object.keys(status.models).length} models, ${status.coverage.label}\n`);
    return EXIT.ok;
  } finally {
    workspace.close();
  }
}

/** Reads model-status.json: the diff with --dry-run, else applies it all or nothing. Exit 2 when refused. */
export async function runImportStatus(options: { file: string; dryRun?: boolean; json?: boolean }, context: CliContext): Promise<number> {
  let content: string;
  try {
    content = fs.readFileSync(options.file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${options.file}: ${describeReadError(error)}`);
  }
  const workspace = requireWorkspace(context);
  try {
    const result = importStatus(workspace, content, { dryRun: options.dryRun ?? false });
    if (options.json) writeJson(context.stdout, result);
    else {
      for (const problem of result.problems) context.stderr.write(`fleetdeck: ${problem}\n`);
      for (const change of result.changes) {
        context.stdout.write(`${change.modelId} ${change.field}: ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}\n`);
      }
      if (result.ok) {
        context.stdout.write(
          result.applied ? `applied ${result.changes.length} change(s)\n` : result.changes.length === 0 ? 'nothing to change\n' : `dry run: ${result.changes.length} change(s), nothing written\n`,
        );
      } else context.stderr.write('fleetdeck: nothing was imported\n');
    }
    return result.ok ? EXIT.ok : EXIT.usage;
  } finally {
    workspace.close();
  }
}
