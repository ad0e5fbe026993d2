import { type ResponseHandler, ResponseHandlerSchema } from '../../../src-shared/domain';
import { PARSE_STEPS } from '../../../src-shared/domain';
import { InputError } from '../../../src-shared/errors';
import { parseReply } from '../../../src-shared/parsing';
import type { TaskPack } from '../../../src-shared/tasks';
import { loadTaskPack } from '../../services/task-packs';
import { type CliContext, EXIT, readAll, UsageError } from '../context';

/** `strict`, `auto`, or a comma-separated list of steps, e.g. `capture-reasoning,extract-json`. */
export function parseHandlerOption(text: string): ResponseHandler {
  const trimmed = text.trim();
  const candidate =
    trimmed === 'strict' || trimmed === 'auto'
      ? trimmed
      : trimmed.split(',').map((step) => step.trim());
  const parsed = ResponseHandlerSchema.safeParse(candidate);
  if (!parsed.success) {
    throw new UsageError(
      `--handler "${text}": use strict, auto, or comma-separated steps from ${PARSE_STEPS.join(', ')}`,
    );
  }
  return parsed.data;
}

export function loadTaskOrUsage(id: string): TaskPack {
  try {
    return loadTaskPack(id);
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(error.message);
    throw error;
  }
}

/** `--fixtures epl-001,epl-002`: the task's fixtures a batch reply is matched against, by id. */
function fixturesOption(task: TaskPack, text: string): TaskPack['fixtures'] {
  const ids = text
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '');
  const byId = new Map(task.fixtures.map((fixture) => [fixture.id, fixture]));
  const unknown = ids.filter((id) => !byId.has(id));
  if (ids.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--fixtures "${text}": ${ids.length === 0 ? 'name at least one fixture id' : `no fixture ${unknown.join(', ')} in task ${task.id}`}`,
    );
  }
  return ids.map((id) => byId.get(id)!);
}

/**
 * Reads one raw reply from stdin and prints one JSON line: the accepted value with its
 * coercions and reasoning, or the error class and message. Exit 0 accepted, 1 rejected.
 */
export async function runParse(
  options: { task: string; handler: string; fixtures?: string },
  context: CliContext,
): Promise<number> {
  const handler = parseHandlerOption(options.handler);
  const task = loadTaskOrUsage(options.task);
  const fixtures =
    options.fixtures === undefined ? undefined : fixturesOption(task, options.fixtures);
  const content = await readAll(context.stdin);
  const outcome = parseReply(task, { content }, handler, { fixtures });
  const printed = outcome.ok
    ? {
        ok: true,
        value: outcome.value,
        coercions: outcome.coercions,
        reasoning: outcome.reasoning ?? null,
      }
    : { ok: false, error: outcome.error };
  context.stdout.write(`${JSON.stringify(printed)}\n`);
  return outcome.ok ? EXIT.ok : EXIT.checkFailed;
}
