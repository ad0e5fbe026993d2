import fs from 'node:fs';
import { type ModelConfig, PARSE_STEPS, ResponseHandlerSchema } from '../../../src-shared/domain';
import { diffFields, parseChangeRef } from '../../../src-shared/lifecycle';
import { runCompare } from '../../services/compare';
import { describeReadError } from '../../services/fleet-files';
import { diffConfigVersions, rollbackConfig, saveModelConfigWithWarnings, trialConfigVersion } from '../../services/config-versions';
import { setVerdict } from '../../services/lifecycle';
import { savePromptChange } from '../../services/prompt-edits';
import { type CliContext, EXIT, UsageError, writeJson } from '../context';
import { positiveInt } from '../options';
import { progressReporter } from '../progress';
import { writeCompare } from './compare';
import { asUsage, requireWorkspace, withHost } from './lifecycle-shared';

function inWorkspace<T>(context: CliContext, work: (workspace: ReturnType<typeof requireWorkspace>) => T): T {
  const workspace = requireWorkspace(context);
  try {
    return work(workspace);
  } catch (error) {
    throw asUsage(error);
  } finally {
    workspace.close();
  }
}

/** A config version as `history` and `compare` print it (`v3`) or as a bare number (`3`). */
function configVersion(text: string, name: string): number {
  const match = /^v?(\d+)$/i.exec(text);
  if (!match) throw new UsageError(`${name} must be a config version such as 3 or v3 (got "${text}")`);
  return positiveInt(match[1], name, 1);
}

export interface ConfigSetOptions {
  model: string;
  variant?: string;
  timeout?: string;
  handler?: string;
  fallback?: string;
  note?: string;
  json?: boolean;
}

/** The model's current config with the flags given applied (the rest unchanged). */
function configFromFlags(current: ModelConfig, options: Omit<ConfigSetOptions, 'model' | 'note' | 'json'>): ModelConfig {
  const handler = options.handler === undefined ? current.responseHandler : options.handler.includes(',') ? options.handler.split(',') : options.handler;
  const parsedHandler = ResponseHandlerSchema.safeParse(handler);
  if (!parsedHandler.success) throw new UsageError(`--handler must be strict, auto or comma-separated steps from ${PARSE_STEPS.join(', ')} (got "${options.handler}")`);
  return {
    ...current,
    ...(options.variant !== undefined ? { promptVariant: options.variant } : {}),
    ...(options.timeout !== undefined ? { timeoutMs: positiveInt(options.timeout, '--timeout', 0, 600_000) } : {}),
    responseHandler: parsedHandler.data,
    ...(options.fallback !== undefined ? { fallback: options.fallback === 'none' ? null : options.fallback } : {}),
  };
}

/** A fix attempt: a new config version with a note; prints the gate command to run next. */
export async function runConfigSet(options: ConfigSetOptions, context: CliContext): Promise<number> {
  if (!options.note?.trim()) throw new UsageError('say what this fix attempt tries: --note "..."');
  return inWorkspace(context, (workspace) => {
    const { config: current, configVersion: currentVersion } = workspace.fleet.requireModel(options.model);
    const config = configFromFlags(current, options);
    const { version, warnings } = saveModelConfigWithWarnings(workspace, options.model, config, options.note!);
    // Allowed but worth a look (a fallback over the cost ceiling): the words `fleet import` warns with.
    for (const warning of warnings) context.stderr.write(`warning: ${warning}\n`);
    if (options.json) writeJson(context.stdout, { modelId: options.model, version });
    else if (version === currentVersion) context.stdout.write(`unchanged: config v${version} already has these settings\n`);
    else context.stdout.write(`${options.model} config v${version}; gate it: fleetdeck regress --change model:${options.model}@${version}\n`);
    return EXIT.ok;
  });
}

/**
 * A draft tried beside the current config, never made current: stored as a trial version, then
 * a side-by-side run of the two, printed as `compare` prints it.
 */
export async function runConfigTry(options: Omit<ConfigSetOptions, 'note'> & { fixtures?: string }, context: CliContext): Promise<number> {
  const fixtures = positiveInt(options.fixtures, '--fixtures', 5, 50);
  return withHost(context, async (host, signal) => {
    const config = configFromFlags(host.workspace.fleet.requireModel(options.model).config, options);
    const trial = trialConfigVersion(host.workspace, options.model, config, 'the CLI');
    context.stderr.write(`trying ${options.model} v${trial.trial} (not made current) beside v${trial.current}\n`);
    const columns = [trial.current, trial.trial].map((configVersion) => ({ modelId: options.model, configVersion }));
    const view = await runCompare(host, columns, fixtures, { signal, onEvent: progressReporter(context.stderr, 'compare') });
    writeCompare(view, options.json === true, context);
    return EXIT.ok;
  });
}

export async function runConfigDiff(options: { model: string; from: string; to: string; json?: boolean }, context: CliContext): Promise<number> {
  const from = configVersion(options.from, 'FROM');
  const to = configVersion(options.to, 'TO');
  return inWorkspace(context, (workspace) => {
    const diff = diffConfigVersions(workspace, options.model, from, to);
    if (options.json) writeJson(context.stdout, diff);
    else context.stdout.write(diff.unified);
    return EXIT.ok;
  });
}

/** A model's config versions, oldest first: when, the note, and the fields it changed. */
export async function runConfigHistory(options: { model: string; json?: boolean }, context: CliContext): Promise<number> {
  return inWorkspace(context, (workspace) => {
    const model = workspace.fleet.requireModel(options.model);
    const history = workspace.fleet.configHistory(model.id);
    const versions = history.map((entry, index) => {
      // What it changed from the config it replaced (or, for a trial, the one it was tried beside).
      const base = history.slice(0, index).filter((earlier) => !earlier.trial).at(-1);
      return {
        version: entry.version,
        createdAt: entry.createdAt,
        note: entry.note,
        current: entry.version === model.configVersion,
        trial: entry.trial,
        changes: base ? diffFields(base.config as Record<string, unknown>, entry.config as Record<string, unknown>) : [],
      };
    });
    if (options.json) writeJson(context.stdout, { modelId: model.id, currentVersion: model.configVersion, versions });
    else {
      for (const entry of versions) {
        const changed = entry.changes.map((change) => `${change.field} ${JSON.stringify(change.from)} -> ${JSON.stringify(change.to)}`).join(', ');
        context.stdout.write(
          `${entry.current ? '*' : ' '} v${entry.version}${entry.trial ? ' [trial]' : ''}  ${entry.createdAt.slice(0, 16).replace('T', ' ')}  ${entry.note}${changed ? `  (${changed})` : ''}\n`,
        );
      }
    }
    return EXIT.ok;
  });
}

export async function runConfigRollback(options: { model: string; version: string; note?: string }, context: CliContext): Promise<number> {
  const target = configVersion(options.version, 'VERSION');
  return inWorkspace(context, (workspace) => {
    const before = workspace.fleet.requireModel(options.model).configVersion;
    const version = rollbackConfig(workspace, options.model, target, options.note);
    context.stdout.write(version === before ? `unchanged: config v${version} already has these settings\n` : `${options.model} config v${version} (equal to v${target})\n`);
    return EXIT.ok;
  });
}

export async function runVerdict(options: { model: string; verdict: string; reason?: string; retestDays?: string }, context: CliContext): Promise<number> {
  if (!['active', 'inactive', 'unfixable'].includes(options.verdict)) throw new UsageError(`the verdict is active, inactive or unfixable (got "${options.verdict}")`);
  if (options.retestDays !== undefined && options.verdict !== 'unfixable')
    throw new UsageError(`--retest-days is for an unfixable verdict (when to test it again), not "${options.verdict}"`);
  const retestInDays = options.retestDays === undefined ? undefined : positiveInt(options.retestDays, '--retest-days', 90, 3650);
  return inWorkspace(context, (workspace) => {
    setVerdict(workspace, { modelId: options.model, verdict: options.verdict as 'active' | 'inactive' | 'unfixable', reason: options.reason, retestInDays });
    context.stdout.write(`${options.model}: ${options.verdict}\n`);
    return EXIT.ok;
  });
}

/** Saves a variant or component version from a file: `fleetdeck prompt save variant:JSON_STRICT --file F --note N`. */
export async function runPromptSave(options: { target: string; file?: string; note?: string }, context: CliContext): Promise<number> {
  const target = parseChangeRef(options.target);
  if ('error' in target || target.kind === 'model' || target.version !== undefined) throw new UsageError('name the prompt as variant:NAME or component:KEY');
  if (!options.file) throw new UsageError('give the new text: --file FILE');
  if (!options.note?.trim()) throw new UsageError('say what this change tries: --note "..."');
  let text: string;
  try {
    text = fs.readFileSync(options.file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read ${options.file}: ${describeReadError(error)}`);
  }
  return inWorkspace(context, (workspace) => {
    const change = target.kind === 'variant' ? { kind: 'variant' as const, name: target.name, text } : { kind: 'component' as const, key: target.name, text };
    const saved = savePromptChange(workspace, change, options.note!);
    context.stdout.write(`${target.kind} ${target.name} v${saved.version}; the gate tests ${saved.plan.tested.length} models: fleetdeck regress --change ${target.kind}:${target.name}@${saved.version}\n`);
    return EXIT.ok;
  });
}
