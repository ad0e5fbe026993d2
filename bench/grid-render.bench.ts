/**
 * Grid render bench: `npx tsx bench/grid-render.bench.ts [--models 1000] [--runs 5]`.
 *
 * Builds the real renderer (App, store, grid) with the bridge swapped for an in-memory one over
 * 1,000 synthetic models (bench/grid-render/synthetic-bridge.ts, via a Vite alias), serves it on
 * 127.0.0.1 and opens it in Chromium (playwright-core, /usr/bin/chromium or FLEETDECK_CHROMIUM).
 *
 * 1. First render of the fleet grid, from the performance marks the grid emits
 *    (fleet-grid:start → committed → painted), median of N fresh page loads; the baseline is the
 *    same 1,000 rows with the same cells as a plain unvirtualised React table, in the same page.
 * 2. The renderer's applied update rate during a simulated 10,000-call run, main's batching
 *    (~10 flushes/s) and unbatched (an event per call): events received, fleet refreshes applied,
 *    rows re-rendered vs rows changed, and frame times.
 * Prints figures, no pass/fail.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { chromium, type Page } from 'playwright-core';

const repo = join(__dirname, '..');
const outDir = join(repo, '.tmp', 'bench-renderer');
const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
};
const MODELS = argument('models', 1000);
const RUNS = argument('runs', 5);
const CALLS = argument('calls', 10_000);

const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

function buildBenchRenderer(): void {
  const started = performance.now();
  const result = spawnSync(
    process.execPath,
    [
      join(repo, 'node_modules', 'vite', 'bin', 'vite.js'),
      'build',
      '-c',
      join(repo, 'bench', 'grid-render', 'vite.config.mts'),
      '--logLevel',
      'warn',
    ],
    {
      cwd: repo,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) throw new Error('building the bench renderer failed');
  console.log(`built the bench renderer in ${Math.round(performance.now() - started)} ms`);
}

function serve(root: string): Promise<{ url: string; close(): void }> {
  const server = createServer((request, response) => {
    const path = normalize(
      decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname),
    ).replace(/^(\.\.[/\\])+/, '');
    let file = join(root, path);
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html');
    response.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({ url: `http://127.0.0.1:${port}/`, close: () => server.close() });
    });
  });
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};
const ms = (value: number) => `${value.toFixed(1)} ms`;

interface GridTiming {
  committed: number;
  painted: number;
  fromNavigation: number;
}

async function gridFirstRender(page: Page, url: string): Promise<GridTiming> {
  await page.goto('about:blank'); // a fresh document each time, never a same-page hash change
  await page.goto(`${url}?models=${MODELS}#/fleet`);
  await page.waitForSelector('[data-app-state="ready"] [data-grid-rows]');
  await waitForPaint(page);
  // Page scripts are strings: tsx would wrap named functions in a __name helper the page lacks.
  return page.evaluate(`(() => {
    const at = (name) => performance.getEntriesByName(name)[0]?.startTime ?? Number.NaN;
    return {
      committed: at('fleet-grid:committed') - at('fleet-grid:start'),
      painted: at('fleet-grid:painted') - at('fleet-grid:start'),
      fromNavigation: at('fleet-grid:painted'),
    };
  })()`);
}

/**
 * Polls from Node for the grid's paint mark: waitForFunction polls with eval inside the page,
 * which the console's CSP (script-src 'self', no unsafe-eval) refuses. Bounded at 30 s.
 */
async function waitForPaint(page: Page): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (
    !(await page.evaluate<boolean>(`performance.getEntriesByName('fleet-grid:painted').length > 0`))
  ) {
    if (Date.now() > deadline) throw new Error('the grid never reported fleet-grid:painted');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The grid mounted again in a warm page (Runs → Fleet): no first-execution costs. */
async function gridRemount(page: Page): Promise<number> {
  await page.evaluate(`location.hash = '#/runs'`);
  await page.waitForSelector('[data-page="runs"]');
  await page.evaluate(`performance.clearMarks(); location.hash = '#/fleet'`);
  await waitForPaint(page);
  return page.evaluate<number>(
    `performance.getEntriesByName('fleet-grid:painted')[0].startTime - performance.getEntriesByName('fleet-grid:start')[0].startTime`,
  );
}

interface Stats {
  eventsReceived: number;
  fleetRefreshes: number;
  rowsChanged: number;
  rowRenders: number;
}

async function updateRate(page: Page, url: string, batchMs: number, durationMs: number) {
  await page.goto('about:blank');
  await page.goto(`${url}?models=${MODELS}#/fleet`);
  await page.waitForSelector('[data-app-state="ready"] [data-grid-rows]');
  const readStats = () => page.evaluate<Stats>('({ ...window.__fleetdeckStats })');
  const before = await readStats();
  const frames = await page.evaluate<{
    elapsedMs: number;
    frames: number;
    frameP50Ms: number;
    frameP99Ms: number;
    frameMaxMs: number;
  }>(`window.__bench.simulateRun(${JSON.stringify({ calls: CALLS, durationMs, batchMs })})`);
  const after = await readStats();
  const seconds = frames.elapsedMs / 1000;
  const delta = (key: keyof Stats) => after[key] - before[key];
  return {
    seconds,
    eventsPerSecond: delta('eventsReceived') / seconds,
    refreshesPerSecond: delta('fleetRefreshes') / seconds,
    rowsChanged: delta('rowsChanged'),
    rowRenders: delta('rowRenders'),
    ...frames,
  };
}

async function main() {
  buildBenchRenderer();
  const server = await serve(outDir);
  const browser = await chromium.launch({
    executablePath: process.env.FLEETDECK_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('pageerror', (error) => console.error('page error:', error.message));
    await gridFirstRender(page, server.url); // warm the HTTP and compile caches

    const grid: GridTiming[] = [];
    const plain: { committedMs: number; paintedMs: number }[] = [];
    const remounts: number[] = [];
    for (let index = 0; index < RUNS; index++) {
      grid.push(await gridFirstRender(page, server.url));
      remounts.push(await gridRemount(page));
      plain.push(
        await page.evaluate<{ committedMs: number; paintedMs: number }>(
          'window.__bench.renderPlainTable()',
        ),
      );
    }
    const gridPainted = median(grid.map((timing) => timing.painted));
    const plainPainted = median(plain.map((timing) => timing.paintedMs));
    console.log(
      `\nFirst render of the fleet grid, ${MODELS} models, median of ${RUNS} page loads (Chromium, ${browser.version()})`,
    );
    console.log(
      `  virtualised grid: commit ${ms(median(grid.map((timing) => timing.committed)))}, to first paint ${ms(gridPainted)} (target < 200 ms); page navigation → grid painted ${ms(median(grid.map((timing) => timing.fromNavigation)))}`,
    );
    console.log(
      `  the grid mounted again in the warm page: to first paint ${ms(median(remounts))}`,
    );
    console.log(
      `  baseline, plain unvirtualised table of the same rows: commit ${ms(median(plain.map((timing) => timing.committedMs)))}, to first paint ${ms(plainPainted)}`,
    );
    console.log(
      `  ratio grid / baseline: ${(gridPainted / plainPainted).toFixed(2)} (${(plainPainted / gridPainted).toFixed(1)}x faster)`,
    );

    for (const [label, batchMs, durationMs] of [
      ['main batching (~10 flushes/s), 10,000 calls over 10 s', 100, 10_000],
      ['unbatched (an event per call), 10,000 calls over 2 s', 0, 2_000],
    ] as const) {
      const rate = await updateRate(page, server.url, batchMs, durationMs);
      console.log(`\nSimulated run, ${label}:`);
      console.log(
        `  push events received ${rate.eventsPerSecond.toFixed(0)}/s; fleet refreshes applied ${rate.refreshesPerSecond.toFixed(1)}/s over ${rate.seconds.toFixed(1)} s`,
      );
      console.log(
        `  rows changed ${rate.rowsChanged}, row components re-rendered ${rate.rowRenders} (memoised rows: only changed, visible rows render)`,
      );
      console.log(
        `  frames ${rate.frames} (${(rate.frames / rate.seconds).toFixed(0)} fps); frame time p50 ${ms(rate.frameP50Ms)}, p99 ${ms(rate.frameP99Ms)}, max ${ms(rate.frameMaxMs)}`,
      );
    }
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
