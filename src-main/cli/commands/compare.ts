import type { CompareView } from '../../../src-shared/ipc';
import { DEFAULT_COMPARE_FIXTURES, parseColumns, runCompare } from '../../services/compare';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { positiveInt } from '../options';
import { progressReporter } from '../progress';
import { percentText, withHost } from './lifecycle-shared';

/** A side-by-side run: `--columns m1@v3,m1@v4,m2#JSON_STRICT --fixtures N`. */
export async function runCompareCommand(options: { columns?: string; fixtures?: string; json?: boolean }, context: CliContext): Promise<number> {
  if (!options.columns) throw new UsageError('name the columns: --columns ID[@vN][#VARIANT],ID...');
  const columns = parseColumns(options.columns);
  const fixtures = positiveInt(options.fixtures, '--fixtures', DEFAULT_COMPARE_FIXTURES, 50);
  return withHost(context, async (host, signal) => {
    const view = await runCompare(host, columns, fixtures, { signal, onEvent: progressReporter(context.stderr, 'compare') });
    writeCompare(view, options.json === true, context);
    return EXIT.ok;
  });
}

/** A side-by-side run's columns and rows (or its JSON), as `compare` and `config try` print it. */
export function writeCompare(view: CompareView, json: boolean, context: CliContext): void {
  if (json) {
    writeJson(context.stdout, view);
    return;
  }
  const out = context.stdout;
  for (const column of view.columns) {
    out.write(
      `${column.label.padEnd(48)} ${percentText(column.successRate).padStart(6)} ok, ${column.costPerSuccessUsd === null ? '-' : `$${column.costPerSuccessUsd.toFixed(6)}`} per success${column.warnings.length ? `; ${column.warnings.join('; ')}` : ''}\n`,
    );
  }
  out.write('\n');
  for (const row of view.rows) {
    const cells = row.cells.map((cell) => (cell === null ? '...' : cell.ok ? JSON.stringify(cell.value) : `x ${cell.errorClass}`));
    out.write(`${row.differs ? '*' : ' '} ${row.label.padEnd(50)} ${cells.join(' | ')}\n`);
  }
  out.write(`run ${view.runId}: ${view.status}\n`);
}
