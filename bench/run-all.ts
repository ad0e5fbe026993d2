/**
 * `npm run bench`: every bench/*.bench.ts in turn, each in its own process (so one's warm-up,
 * heap and event loop never colour another's figures). Each prints its figures and ratios
 * against a baseline it measures in the same run; nothing here passes or fails on a timing.
 *   npm run bench                 all of them
 *   npm run bench -- engine parse only those whose file name contains a word
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const filters = process.argv.slice(2);
const files = fs
  .readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((word) => file.includes(word)))
  .sort();

const failed: string[] = [];
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(__dirname, file)], {
    stdio: 'inherit',
    timeout: 15 * 60_000,
  });
  process.stdout.write(
    `== ${file}: exit ${result.status ?? result.signal} in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
  if (result.status !== 0) failed.push(file);
}
if (failed.length > 0) {
  process.stdout.write(
    `\n${failed.length} bench script(s) exited non-zero (a crash, or a target they check was missed): ${failed.join(', ')}\n`,
  );
  process.exitCode = 1;
}
