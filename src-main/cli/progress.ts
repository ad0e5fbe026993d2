import type { RunEvent } from '../services/run-executor';

/**
 * Run progress on stderr: a redrawn bar on a TTY, a line every 10% otherwise. Stdout stays clean
 * for --json.
 */
export function progressReporter(stream: NodeJS.WritableStream & { isTTY?: boolean }, label: string): (event: RunEvent) => void {
  let lastDecile = -1;
  let succeeded = 0;
  let failed = 0;
  let cancelled = 0;
  let waiting = '';
  return (event) => {
    if (event.type === 'run-started') {
      stream.write(`${label} ${event.runId}: ${event.total} items\n`);
      return;
    }
    if (event.type === 'waiting') {
      waiting = `${event.modelId}: ${event.reason}`;
      return;
    }
    if (event.type === 'disabled') {
      stream.write(`${stream.isTTY ? '\n' : ''}auto-disabled ${event.modelId}: ${event.reason}\n`);
      return;
    }
    if (event.type !== 'item-finished') return;
    // An interrupted run ends its unsent items as cancelled: they are neither answered nor failed.
    if (event.result.success) succeeded++;
    else if (event.result.errorClass === 'cancelled') cancelled++;
    else failed++;
    const fraction = event.total === 0 ? 1 : event.done / event.total;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round(fraction * width);
      stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${event.done}/${event.total} ok ${succeeded} failed ${failed}${cancelled ? ` cancelled ${cancelled}` : ''} ${waiting.slice(0, 40).padEnd(40)}`,
      );
      if (event.done === event.total) stream.write('\n');
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile !== lastDecile) {
      lastDecile = decile;
      stream.write(`${event.done}/${event.total} done (${succeeded} ok, ${failed} failed${cancelled ? `, ${cancelled} cancelled` : ''})\n`);
    }
  };
}
