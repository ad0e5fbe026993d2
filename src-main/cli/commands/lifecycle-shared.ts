import { InputError, NotFoundError } from '../../../src-shared/errors';
import { selectModels } from '../../services/canary';
import { type EngineHost, openEngineHost } from '../../services/engine-host';
import { openWorkspace, type Workspace, workspaceExists } from '../../services/workspace';
import { type CliContext, UsageError } from '../context';

export function requireWorkspace(context: CliContext): Workspace {
  if (!workspaceExists(context.dataDir)) {
    throw new UsageError(`no workspace in ${context.dataDir}: run "fleetdeck init" or "fleetdeck fleet import FILE" first`);
  }
  return openWorkspace(context.dataDir);
}

/**
 * Opens the workspace and its engine, runs `work` with Ctrl-C cancelling it, and closes both.
 * Input and lookup errors from services become usage errors (exit 2).
 */
export async function withHost<T>(context: CliContext, work: (host: EngineHost, signal: AbortSignal) => Promise<T>): Promise<T> {
  const workspace = requireWorkspace(context);
  let host: EngineHost | undefined;
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    host = await openEngineHost(workspace, { env: context.env });
    return await work(host, controller.signal);
  } catch (error) {
    throw asUsage(error);
  } finally {
    process.off('SIGINT', onSignal);
    await host?.close();
    workspace.close();
  }
}

export function asUsage(error: unknown): unknown {
  if (error instanceof InputError || error instanceof NotFoundError) return new UsageError(error.message);
  return error;
}

/** `--models a,b` as ids; a list that names none is a usage error (an empty run would pass). */
export function modelList(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const ids = value.split(',').map((id) => id.trim()).filter((id) => id !== '');
  if (ids.length === 0) throw new UsageError(`no models selected: --models "${value}" names no model id`);
  return ids;
}

/**
 * The models a run sends to: the requested ones (unknown ids refused), else every active model.
 * None is a usage error, not a run of 0/0 predictions that a cron job would read as green.
 */
export function selectedModels(host: EngineHost, requested: readonly string[] | undefined): string[] {
  let ids: string[];
  try {
    ids = selectModels(host, requested);
  } catch (error) {
    throw asUsage(error);
  }
  if (ids.length === 0) {
    throw new UsageError(`no models selected: the workspace in ${host.workspace.dataDir} has no active models (fleetdeck status lists them)`);
  }
  return ids;
}

export function percentText(value: number | null): string {
  return value === null ? '-' : `${Math.round(value * 1000) / 10}%`;
}

/** A latency (or a change in one) in whole milliseconds, as the CLI prints every latency. */
export function msText(value: number | null): string {
  // `${Math.round(-0.4)}` is "0", where (-0.4).toFixed(0) would print "-0".
  return value === null ? '-' : `${Math.round(value)} ms`;
}
