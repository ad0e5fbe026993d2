import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appRoot } from '../../paths';
import { serveConsole } from '../../serve/serve-console';
import { DEFAULT_PROBE_INTERVAL_MS } from '../../services/recovery-probe';
import { type CliContext, EXIT, UsageError } from '../context';
import { listenOnPort } from '../listen-port';

export interface ServeOptions {
  port?: string;
  /** false with --no-open */
  open?: boolean;
  probeEvery?: string;
}

/** Where `npm run build:renderer` writes the console (FLEETDECK_RENDERER_DIR overrides it). */
export function rendererDir(env: NodeJS.ProcessEnv): string {
  return env.FLEETDECK_RENDERER_DIR
    ? path.resolve(env.FLEETDECK_RENDERER_DIR)
    : path.join(appRoot(), 'out', 'renderer');
}

function parsePort(value: string | undefined): number {
  if (value === undefined) return 0;
  if (!/^\d+$/.test(value) || Number(value) > 65_535)
    throw new UsageError(`--port must be a port number from 0 to 65535 (got "${value}")`);
  return Number(value);
}

function parseMinutes(value: string | undefined): number {
  if (value === undefined) return DEFAULT_PROBE_INTERVAL_MS;
  if (!/^\d+$/.test(value))
    throw new UsageError(
      `--probe-every must be whole minutes, 0 to turn probes off (got "${value}")`,
    );
  return Number(value) * 60_000;
}

/** Opens the URL in the desktop's browser when there is a desktop; a headless machine just prints it. */
function openBrowser(url: string, env: NodeJS.ProcessEnv): void {
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) return;
  const command =
    process.platform === 'darwin'
      ? 'open'
      : process.platform === 'win32'
        ? 'explorer.exe'
        : 'xdg-open';
  const child = spawn(command, [url], { detached: true, stdio: 'ignore' });
  // No opener installed: the URL is on stdout anyway.
  child.on('error', () => {});
  child.unref();
}

/**
 * `fleetdeck serve`: the console without a desktop. Prints the URL to open (token included) as
 * the first line on stdout, then serves until SIGINT or SIGTERM.
 */
export async function runServe(options: ServeOptions, context: CliContext): Promise<number> {
  const port = parsePort(options.port);
  const probeEveryMs = parseMinutes(options.probeEvery);
  const staticDir = rendererDir(context.env);
  const serving = await listenOnPort(port, () =>
    serveConsole({
      dataDir: context.dataDir,
      staticDir,
      env: context.env,
      port,
      probeEveryMs,
    }),
  );
  const { server } = serving;
  // Always the first line on stdout: scripts and the e2e fixture read the URL from it.
  context.stdout.write(`${server.url}\n`);
  context.stderr.write(
    `fleetdeck serve: the console for ${context.dataDir} on 127.0.0.1:${server.port} (keys set in the console last for this session only; Ctrl+C stops)\n` +
      (serving.createdModels > 0
        ? `created the workspace with the SIMULATED fleet (${serving.createdModels} models, no API key needed)\n`
        : '') +
      (fs.existsSync(path.join(staticDir, 'index.html'))
        ? ''
        : `warning: no built console in ${staticDir}: run "npm run build:renderer", then restart\n`),
  );
  if (options.open !== false) openBrowser(server.url, context.env);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await serving.close();
  return EXIT.ok;
}
