import path from 'node:path';
import { type FaultSpecInput, FaultSpecSchema } from '../../../src-shared/simulator';
import { loadProfiles, type SimulatorProfiles, startSimulator } from '../../simulator';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { listenOnPort } from '../listen-port';
import { parseDuration } from '../options';

export interface SimulateOptions {
  port?: string;
  fleet?: string;
  seed: string;
  key?: string;
  latencyScale?: string;
}

function parsePort(text: string | undefined): number {
  if (text === undefined) return 0;
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`--port must be 0-65535, got "${text}"`);
  return port;
}

function parseSeed(text: string): number | string {
  return /^\d{1,9}$/.test(text) ? Number(text) : text;
}

/**
 * `fleetdeck simulate`: runs the simulated fleet on 127.0.0.1 until SIGINT/SIGTERM (or `until`
 * settles, for tests). The first stdout line is the base URL.
 */
export async function runSimulate(
  options: SimulateOptions,
  context: CliContext,
  until?: Promise<unknown>,
): Promise<number> {
  const port = parsePort(options.port);
  const latencyScale = options.latencyScale === undefined ? 1 : Number(options.latencyScale);
  if (!Number.isFinite(latencyScale) || latencyScale < 0) {
    throw new UsageError(`--latency-scale must be a number >= 0, got "${options.latencyScale}"`);
  }
  let profiles: SimulatorProfiles;
  try {
    profiles =
      options.fleet === undefined ? loadProfiles() : loadProfiles(path.resolve(options.fleet));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const simulator = await listenOnPort(port, () =>
    startSimulator({
      port,
      seed: parseSeed(options.seed),
      profiles,
      latencyScale,
      ...(options.key ? { key: options.key } : {}),
    }),
  );
  const counts = new Map<string, number>();
  for (const profile of Object.values(profiles.models))
    counts.set(profile.provider, (counts.get(profile.provider) ?? 0) + 1);
  context.stdout.write(`${simulator.url}\n`);
  for (const [provider, count] of counts) {
    context.stdout.write(`  ${provider}: ${simulator.url}/${provider}/v1 (${count} models)\n`);
  }
  context.stdout.write(
    `  control: ${simulator.url}/_control/faults (fleetdeck simulate-fault --url ${simulator.url} ...)\n` +
      `  seed ${options.seed}${options.key ? ', bearer key required' : ''}; Ctrl-C to stop\n`,
  );

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    until?.then(stop, stop);
  });
  await simulator.close();
  return EXIT.ok;
}

export interface SimulateFaultOptions {
  url: string;
  key?: string;
  kind?: string;
  provider?: string;
  model?: string;
  id?: string;
  for?: string;
  after?: string;
  rate?: string;
  count?: string;
  retryAfter?: string;
  retryAfterForm?: string;
  delay?: string;
  clear?: boolean;
  list?: boolean;
}


function parseNumber(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got "${text}"`);
  return value;
}

export function faultSpecFromOptions(options: SimulateFaultOptions): FaultSpecInput {
  if (options.kind === undefined)
    throw new UsageError('--kind is required (or use --clear / --list)');
  const spec: Record<string, unknown> = { kind: options.kind, target: {} };
  const target = spec.target as Record<string, string>;
  if (options.provider) target.provider = options.provider;
  if (options.model) target.model = options.model;
  if (options.rate !== undefined) spec.rate = parseNumber(options.rate, '--rate');
  if (options.count !== undefined) spec.count = parseNumber(options.count, '--count');
  if (options.for !== undefined || options.after !== undefined) {
    spec.schedule = {
      ...(options.after !== undefined ? { afterMs: parseDuration(options.after, '--after') } : {}),
      ...(options.for !== undefined ? { forMs: parseDuration(options.for, '--for') } : {}),
    };
  }
  if (options.retryAfter !== undefined || options.retryAfterForm !== undefined) {
    spec.retryAfter = {
      ...(options.retryAfter !== undefined
        ? { ms: parseDuration(options.retryAfter, '--retry-after') }
        : {}),
      ...(options.retryAfterForm !== undefined ? { form: options.retryAfterForm } : {}),
    };
  }
  if (options.delay !== undefined) spec.delayMs = parseDuration(options.delay, '--delay');
  const parsed = FaultSpecSchema.safeParse(spec);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(
      `invalid fault: ${issue?.path.join('.') || 'spec'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** `fleetdeck simulate-fault`: injects, lists or clears faults in a running simulator. */
export async function runSimulateFault(
  options: SimulateFaultOptions,
  context: CliContext,
): Promise<number> {
  let origin: string;
  try {
    origin = new URL(options.url).origin;
  } catch {
    throw new UsageError(`--url must be the simulator URL, got "${options.url}"`);
  }
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const spec = options.clear || options.list ? undefined : faultSpecFromOptions(options);
  let response: Response;
  try {
    if (options.clear) {
      const query = new URLSearchParams();
      if (options.provider) query.set('provider', options.provider);
      if (options.model) query.set('model', options.model);
      if (options.id) query.set('id', options.id);
      response = await fetch(`${origin}/_control/faults?${query}`, { method: 'DELETE', headers });
    } else if (options.list) {
      response = await fetch(`${origin}/_control/faults`, { headers });
    } else {
      response = await fetch(`${origin}/_control/faults`, {
        method: 'POST',
        headers,
        body: JSON.stringify(spec),
      });
    }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    context.stderr.write(`fleetdeck: cannot reach the simulator at ${origin}: ${cause}\n`);
    return EXIT.checkFailed;
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const message =
      (body as { error?: { message?: string } } | null)?.error?.message ??
      `HTTP ${response.status}`;
    // A refused fault (a target it does not serve) or a wrong key is the operator's input: exit 2.
    const hint = response.status === 401 ? (options.key ? ' (check --key)' : ' (this simulator wants --key)') : '';
    context.stderr.write(`fleetdeck: simulator refused: ${message}${hint}\n`);
    return response.status === 400 || response.status === 401 ? EXIT.usage : EXIT.checkFailed;
  }
  writeJson(context.stdout, body);
  return EXIT.ok;
}
