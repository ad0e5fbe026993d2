import path from 'node:path';
import pino, { type Logger } from 'pino';
import type { CallRecord, Provider } from '../../src-shared/domain';
import type { ErrorClass } from '../../src-shared/errors';
import { usdToMicros } from '../../src-shared/money';
import { BudgetLedger, Engine, type EngineDeps, type EngineOptions, type EngineStore } from '../engine';
import { type RunningSimulator, startSimulator } from '../simulator';
import { EngineStateRepository, GroupCommitter, RunRepository } from '../store';
import type { Workspace } from './workspace';

/** Log lines are buffered up to this many bytes (pino's destination refuses 16 KiB or more). */
const LOG_BUFFER_BYTES = 12 * 1024;
/** ...and written at least this often, so a quiet console's log file never lags behind. */
const LOG_FLUSH_MS = 1000;

/** How the reason of a model the engine disabled by itself begins (the operator's say otherwise). */
export const AUTO_DISABLED = 'auto-disabled';

export interface EngineHost {
  workspace: Workspace;
  engine: Engine;
  ledger: BudgetLedger;
  runs: RunRepository;
  state: EngineStateRepository;
  /** The in-process simulator, when the workspace has simulated providers. */
  simulator: RunningSimulator | undefined;
  logger: Logger;
  endpoint: EngineDeps['endpoint'];
  /** Redacts `secret` from records and logs from now on (a key stored after the host opened). */
  addSecret(secret: string | undefined): void;
  close(): Promise<void>;
}

export interface EngineHostOptions {
  env?: NodeJS.ProcessEnv;
  /** Use this simulator instead of starting one (tests, the console's shared one). */
  simulator?: RunningSimulator;
  simulatorSeed?: number | string;
  /** Simulator latency multiplier (1 = realistic, 0 = instant). */
  simulatorLatencyScale?: number;
  engineOptions?: Partial<EngineOptions>;
  /** Write structured logs to <dataDir>/logs/fleetdeck.log (default true). */
  logToFile?: boolean;
  now?: () => Date;
  /**
   * A provider's key from the console's key store (OS keychain or session), read at each call so
   * a key set while the console runs is used at once; it wins over the provider's `apiKeyEnv`.
   * Every key it gives is added to the engine's redactor before it is sent.
   */
  keyFor?: (providerId: string) => string | undefined;
}

/**
 * Builds the engine for a workspace: the budget ledger and health state on its database, a
 * structured log in its data folder, and — when any provider is simulated — the built-in
 * simulator started in-process on a free loopback port, so no second terminal is ever needed.
 */
export async function openEngineHost(workspace: Workspace, options: EngineHostOptions = {}): Promise<EngineHost> {
  const env = options.env ?? process.env;
  const providers = workspace.fleet.listProviders();
  const ownsSimulator = options.simulator === undefined && providers.some((provider) => provider.simulated);
  // FLEETDECK_SIMULATOR_LATENCY_SCALE (0 = instant, 1 = realistic) and FLEETDECK_SIMULATOR_SEED
  // let demos, tests and benchmarks speed up or vary the built-in fleet.
  const latencyScale = options.simulatorLatencyScale ?? numberFromEnv(env.FLEETDECK_SIMULATOR_LATENCY_SCALE);
  const simulator =
    options.simulator ??
    (ownsSimulator
      ? await startSimulator({
          seed: options.simulatorSeed ?? env.FLEETDECK_SIMULATOR_SEED ?? 1,
          ...(latencyScale !== undefined ? { latencyScale } : {}),
        })
      : undefined);
  const runs = new RunRepository(workspace.db);
  const state = new EngineStateRepository(workspace.db);
  runs.markInterrupted();
  const now = options.now ?? (() => new Date());
  const committer = new GroupCommitter(workspace.db);
  const ledger = new BudgetLedger(
    {
      spentSince: (since) => runs.spentSince(since),
      reservedOn: (day) => state.reservedOn(day),
      runTotals: (runId) => ({ spent: runs.spentByRun(runId), reserved: state.reservedByRun(runId) }),
      // Queued for the engine's next group commit; the engine awaits it before it sends. A failed
      // insert fails this reservation only, not the records and settlements committed with it.
      addReservation: (reservation) => committer.write(() => state.addReservation(reservation)),
      removeReservation: (id) => state.removeReservation(id),
      discardReservations: (ids) => committer.write(() => state.removeReservations(ids)),
    },
    usdToMicros(workspace.fleet.budget().dailyUsd),
    now,
  );
  const logFile = path.join(workspace.dataDir, 'logs', 'fleetdeck.log');
  const destination =
    options.logToFile === false
      ? undefined
      : // Buffered: one write per 12 KiB of log lines (about ten calls), and at least once a second,
        // and on close. Written synchronously: the thread already writes each group commit to the
        // database the same way, and handing each write to libuv's thread pool cost more CPU per call
        // than the write itself (measured with the engine bench's CPU figure).
        pino.destination({
          dest: logFile,
          mkdir: true,
          sync: true,
          minLength: LOG_BUFFER_BYTES,
          periodicFlush: LOG_FLUSH_MS,
        });
  const destinationReady = destination ? new Promise<void>((resolve) => destination.once('ready', () => resolve())) : Promise.resolve();
  const logger = destination ? pino({ level: 'info', base: { pid: process.pid } }, destination) : pino({ level: 'silent' });
  const destinationClosed = destination ? new Promise<void>((resolve) => destination.once('close', () => resolve())) : Promise.resolve();
  // A log file that cannot be written (a full disk) stops the logging, never the engine: the
  // records are in the database. Said once on stderr; later lines are dropped, not thrown (the
  // logger goes silent, which the call lines check too). The destination is then closed,
  // dropping what it buffered.
  let logBroken = false;
  destination?.on('error', (error: NodeJS.ErrnoException) => {
    if (logBroken) return;
    logBroken = true;
    logger.level = 'silent';
    process.stderr.write(
      `fleetdeck: the log file ${logFile} could not be written (${error.code ?? error.message}); logging to it stopped, call records are still saved\n`,
    );
    setImmediate(() => destination.destroy());
  });

  // pino flushes an asynchronous destination when the process exits, not a synchronous one: a
  // process that exits without closing the host (a CLI whose stdout was closed) still writes what
  // it buffered. Ending writes the buffer synchronously (flushSync would retry a failing write
  // forever, and the process would never exit).
  const flushOnExit = (): void => {
    if (!logBroken) destination?.end();
  };
  if (destination) process.on('exit', flushOnExit);

  const endpoint = (provider: Provider): ReturnType<EngineDeps['endpoint']> => {
    if (provider.simulated) {
      if (!simulator) throw new Error(`provider ${provider.id} is simulated but no simulator is running`);
      return { baseUrl: `${simulator.url}${new URL(provider.baseUrl).pathname.replace(/\/$/, '')}`, apiKey: undefined };
    }
    const stored = options.keyFor?.(provider.id);
    if (stored !== undefined) engine.addSecret(stored);
    const apiKey = stored ?? (provider.apiKeyEnv ? env[provider.apiKeyEnv] : undefined);
    const missingKey =
      apiKey === undefined || apiKey === ''
        ? provider.apiKeyEnv
          ? `environment variable ${provider.apiKeyEnv} is not set`
          : provider.keychainEntry
            ? 'no key stored for it: set one in Settings, Providers'
            : undefined
        : undefined;
    return { baseUrl: provider.baseUrl.replace(/\/$/, ''), apiKey: apiKey === '' ? undefined : apiKey, missingKey };
  };
  const secrets = providers.map((provider) => (provider.apiKeyEnv ? env[provider.apiKeyEnv] : undefined));

  const store: EngineStore = {
    addRecord: (record) => runs.addRecord(record),
    write: (work) => committer.write(work),
    flush: () => committer.flush(),
    disabledReason: (modelId) => {
      const health = state.health(modelId);
      return health.disabled ? (health.disabledReason ?? 'disabled') : undefined;
    },
    recordFailure: (modelId, errorClass: ErrorClass, threshold, at) => {
      let reason = '';
      const result = state.recordFailure(modelId, errorClass, threshold, at, (count) => {
        reason = `${AUTO_DISABLED} after ${count} consecutive failed predictions (last: ${errorClass})`;
        return reason;
      });
      return { ...result, reason };
    },
    recordSuccess: (modelId, at) => {
      state.recordSuccess(modelId, at, false);
    },
  };
  // The line pino would write for logger.info({ event: 'call', ...record }, 'call attempt'),
  // serialised in one JSON.stringify. Should that ever throw (a field it cannot serialise), pino's
  // own safe serialiser writes the line instead, so the attempt's event still follows.
  const logCall = destination
    ? (record: CallRecord): void => {
        if (!logger.isLevelEnabled('info')) return;
        let fields: string;
        try {
          fields = JSON.stringify(record).slice(1, -1);
        } catch {
          logger.info({ event: 'call', ...record }, 'call attempt');
          return;
        }
        destination.write(`{"level":30,"time":${Date.now()},"pid":${process.pid},"event":"call",${fields}${fields === '' ? '' : ','}"msg":"call attempt"}\n`);
      }
    : undefined;
  const engine = new Engine({ store, ledger, endpoint, secrets, logger, logCall, now }, options.engineOptions);

  return {
    workspace,
    engine,
    ledger,
    runs,
    state,
    simulator,
    logger,
    endpoint,
    addSecret: (secret) => engine.addSecret(secret),
    close: async () => {
      await engine.close();
      if (ownsSimulator) await simulator?.close();
      if (destination) {
        process.off('exit', flushOnExit);
        await destinationReady;
        // Ending writes what is buffered, then closes; a write that fails breaks the log (above),
        // which closes it too.
        if (!logBroken) destination.end();
        await destinationClosed;
      }
    },
  };
}

function numberFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`expected a number >= 0, got "${value}"`);
  return parsed;
}
