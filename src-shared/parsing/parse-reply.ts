import type { ParseStep, ResponseHandler } from '../domain/model-config';
import { PARSE_STEPS } from '../domain/model-config';
import type { Fixture, TaskPack } from '../tasks';
import { answerSchema, describeIssues } from './answer-schema';
import { findReasoning, type ReasoningBlock, removeRanges } from './capture-reasoning';
import { coerceAnswer, looksLikeAnswer } from './coerce-answer';
import { findJsonCandidates, type JsonCandidate } from './extract-json';
import { matchFixtures } from './match-fixtures';
import {
  excerpt,
  type ParseErrorClass,
  type ParseOutcome,
  type ParseStepTrace,
  type Reply,
} from './parse-outcome';
import { deeperThan } from './json-depth';
import { repairJson } from './repair-json';
import { stripFences } from './strip-fences';

export interface ParseContext {
  /** The fixtures of this call; array answers are matched to them by id. */
  fixtures?: readonly Fixture[] | undefined;
}

class Rejection {
  constructor(
    readonly errorClass: ParseErrorClass,
    readonly message: string,
  ) {}
}

interface State {
  task: TaskPack;
  text: string;
  /** Reasoning blocks still in `text` (capture-reasoning has not run): never an answer source. */
  reasoningInText: ReasoningBlock[];
  /** The text `reasoningInText` was found in: capture-reasoning reuses the scan while it holds. */
  scannedText: string | undefined;
  value: { parsed: unknown } | undefined;
  reasoning: string[];
  coercions: string[];
  steps: ParseStepTrace[];
  fixtureIds: string[] | undefined;
  /** Some reasoning held JSON: said in the error so the operator sees why it was not taken. */
  reasoningHadJson: boolean;
  /** The extracted span ran to the end of the reply without closing. */
  truncated: boolean;
}

function trace(
  state: State,
  step: ParseStepTrace['step'],
  outcome: ParseStepTrace['outcome'],
  detail: string,
): void {
  state.steps.push({ step, outcome, detail });
}

function addCoercion(state: State, coercion: string): void {
  if (!state.coercions.includes(coercion)) state.coercions.push(coercion);
}

function stepsOf(handler: ResponseHandler): readonly ParseStep[] {
  if (handler === 'auto') return PARSE_STEPS;
  if (handler === 'strict') return [];
  return handler;
}

function joinReasoning(parts: readonly string[]): string | undefined {
  const kept = parts.map((part) => part.trim()).filter((part) => part !== '');
  return kept.length > 0 ? kept.join('\n\n') : undefined;
}

const REASONING_ONLY = 'an answer is never taken from reasoning';

function emptyMessage(state: State, what: string): string {
  return state.reasoning.length > 0 || state.reasoningHadJson
    ? `${what}; the reply has reasoning but ${REASONING_ONLY}`
    : what;
}

const STEP_RUNNERS: Record<ParseStep, (state: State) => void> = {
  'capture-reasoning': (state) => {
    const blocks =
      state.scannedText === state.text ? state.reasoningInText : findReasoning(state.text);
    if (blocks.length === 0) {
      trace(state, 'capture-reasoning', 'unchanged', 'no reasoning tags');
      return;
    }
    state.reasoning.push(...blocks.map((block) => block.inner));
    state.reasoningHadJson ||= blocks.some((block) => /[{[]/.test(block.inner));
    state.text = removeRanges(state.text, blocks);
    state.reasoningInText = [];
    state.scannedText = undefined;
    const kinds = blocks.map((block) =>
      block.kind === 'block'
        ? 'block'
        : block.kind === 'orphan-close'
          ? 'orphan closing tag'
          : 'unclosed block',
    );
    trace(state, 'capture-reasoning', 'applied', `captured ${blocks.length} (${kinds.join(', ')})`);
    if (state.text.trim() === '') {
      const cut = blocks.some((block) => block.kind === 'unclosed');
      throw new Rejection(
        'empty_response',
        emptyMessage(
          state,
          cut
            ? 'the reasoning never closed and no answer follows it'
            : 'no answer after the reasoning',
        ),
      );
    }
  },
  'strip-fences': (state) => {
    if (state.value) return trace(state, 'strip-fences', 'unchanged', 'JSON already read');
    const fence = stripFences(state.text, state.reasoningInText);
    if (!fence) return trace(state, 'strip-fences', 'unchanged', 'no code fence holding JSON');
    state.text = fence.text;
    state.reasoningInText = [];
    state.scannedText = undefined;
    addCoercion(state, 'fence:stripped');
    if (fence.droppedOutside) addCoercion(state, 'prose:removed');
    trace(
      state,
      'strip-fences',
      'applied',
      `took the ${fence.language || 'untagged'} fence${fence.unclosed ? ' (never closed)' : ''}`,
    );
  },
  'extract-json': (state) => {
    if (state.value) return trace(state, 'extract-json', 'unchanged', 'JSON already read');
    const candidates = findJsonCandidates(state.text, state.reasoningInText);
    const chosen = chooseCandidate(state, candidates);
    if (!chosen) {
      trace(state, 'extract-json', 'failed', 'no JSON object or array');
      throw new Rejection('parse_error', noJsonMessage(state));
    }
    if (!onlyReasoningOutside(state, chosen.candidate)) addCoercion(state, 'prose:removed');
    state.text = chosen.candidate.text;
    state.reasoningInText = [];
    state.scannedText = undefined;
    if (chosen.parsed) state.value = chosen.parsed;
    state.truncated = chosen.candidate.unclosed;
    if (chosen.collected) addCoercion(state, 'collect:objects');
    trace(state, 'extract-json', 'applied', chosen.detail);
  },
  'repair-json': (state) => {
    if (state.value) return trace(state, 'repair-json', 'unchanged', 'already valid JSON');
    const trimmed = state.text.trim();
    if (!/^[{[]/.test(trimmed))
      return trace(state, 'repair-json', 'unchanged', 'text does not start with { or [');
    const result = repairJson(trimmed, state.truncated);
    if (!result.ok) {
      trace(state, 'repair-json', 'failed', result.message);
      throw new Rejection(
        'parse_error',
        `JSON could not be repaired (${result.message}): ${excerpt(trimmed)}`,
      );
    }
    state.value = { parsed: result.value };
    for (const repair of result.repairs) addCoercion(state, `repair:${repair}`);
    trace(
      state,
      'repair-json',
      result.repairs.length > 0 ? 'applied' : 'unchanged',
      result.repairs.join(', ') || 'valid JSON',
    );
  },
  coerce: (state) => {
    if (!state.value) readJson(state);
    const result = coerceAnswer(state.task, state.value?.parsed, state.fixtureIds);
    state.value = { parsed: result.value };
    for (const coercion of result.coercions) addCoercion(state, coercion);
    trace(
      state,
      'coerce',
      result.coercions.length > 0 ? 'applied' : 'unchanged',
      result.coercions.join(', ') || 'already in shape',
    );
  },
};

/** Whether everything around the chosen span is whitespace or reasoning still in the text. */
function onlyReasoningOutside(state: State, candidate: JsonCandidate): boolean {
  let outside = '';
  let at = 0;
  const cuts = [...state.reasoningInText, candidate].sort((a, b) => a.start - b.start);
  for (const cut of cuts) {
    if (cut.start > at) outside += state.text.slice(at, cut.start);
    at = Math.max(at, cut.end);
  }
  outside += state.text.slice(at);
  return outside.trim() === '';
}

function tryParse(text: string): { parsed: unknown } | undefined {
  if (deeperThan(text)) return undefined;
  try {
    return { parsed: JSON.parse(text) };
  } catch {
    return undefined;
  }
}

interface Choice {
  candidate: JsonCandidate;
  parsed: { parsed: unknown } | undefined;
  collected: boolean;
  detail: string;
}

/**
 * Which span is the answer: the last parseable one that holds the task's fields (models revise
 * themselves and conclude last); for array answers, separate item objects are collected; else
 * the last object-like span for repair; else the last span.
 */
function chooseCandidate(state: State, candidates: readonly JsonCandidate[]): Choice | undefined {
  if (candidates.length === 0) return undefined;
  const parsed = candidates.map((candidate) => ({ candidate, parsed: tryParse(candidate.text) }));
  const answers = parsed.filter(
    (entry) => entry.parsed && looksLikeAnswer(state.task, entry.parsed.parsed),
  );
  const of = `of ${candidates.length} span${candidates.length === 1 ? '' : 's'}`;
  if (state.task.output.shape === 'array') {
    const arrays = answers.filter((entry) => Array.isArray(entry.parsed?.parsed));
    const lastArray = arrays.at(-1);
    if (lastArray)
      return { ...lastArray, collected: false, detail: `took the last answer array ${of}` };
    if (answers.length > 1) {
      const first = answers[0] as (typeof answers)[number];
      const last = answers.at(-1) as (typeof answers)[number];
      return {
        candidate: {
          start: first.candidate.start,
          end: last.candidate.end,
          text: `[${answers.map((entry) => entry.candidate.text).join(',')}]`,
          unclosed: false,
        },
        parsed: { parsed: answers.map((entry) => entry.parsed?.parsed) },
        collected: true,
        detail: `collected ${answers.length} separate objects into an array`,
      };
    }
  }
  const lastAnswer = answers.at(-1);
  if (lastAnswer) {
    if (
      answers.length > 1 &&
      new Set(answers.map((entry) => JSON.stringify(entry.parsed?.parsed))).size > 1
    ) {
      addCoercion(state, 'answer:last-of-several');
    }
    return { ...lastAnswer, collected: false, detail: `took the last answer-like JSON ${of}` };
  }
  const objectLike = [...candidates]
    .reverse()
    .find((candidate) => candidate.text.includes(':') || candidate.unclosed);
  if (objectLike)
    return {
      candidate: objectLike,
      parsed: tryParse(objectLike.text),
      collected: false,
      detail: `took the last object-like span ${of}`,
    };
  const last = candidates.at(-1) as JsonCandidate;
  return {
    candidate: last,
    parsed: tryParse(last.text),
    collected: false,
    detail: `took the last span ${of}`,
  };
}

function noJsonMessage(state: State): string {
  const base = `no JSON object or array in the reply: ${excerpt(state.text)}`;
  return state.reasoningHadJson
    ? `${base}; JSON appears only inside reasoning, and ${REASONING_ONLY}`
    : base;
}

/** Plain JSON.parse of what is left: the only reading `strict` does, and the last one of any list. */
function readJson(state: State): void {
  const text = state.text.trim();
  if (text === '') throw new Rejection('empty_response', emptyMessage(state, 'the reply is empty'));
  const parsed = tryParse(text);
  if (parsed) {
    state.value = parsed;
    trace(state, 'parse', 'applied', 'JSON.parse');
    return;
  }
  trace(state, 'parse', 'failed', 'not valid JSON');
  if (!/[{[]/.test(text)) throw new Rejection('parse_error', noJsonMessage(state));
  let reason = '';
  try {
    JSON.parse(text);
  } catch (error) {
    reason = error instanceof Error ? ` (${error.message})` : '';
  }
  throw new Rejection('parse_error', `the reply is not valid JSON${reason}: ${excerpt(text)}`);
}

function validate(state: State, context: ParseContext): unknown {
  const output = state.task.output;
  const result = answerSchema(output).safeParse(state.value?.parsed, { reportInput: true });
  if (!result.success) {
    trace(state, 'validate', 'failed', `${result.error.issues.length} issue(s)`);
    throw new Rejection('schema_error', describeIssues(output, result.error.issues));
  }
  const dropped = droppedKeys(
    state.value?.parsed,
    output.fields.map((field) => field.name),
  );
  let value: unknown = result.data;
  if (output.shape === 'array' && output.idField) {
    const matched = matchFixtures(
      result.data as Record<string, unknown>[],
      output.idField,
      context.fixtures,
    );
    if (!matched.ok) {
      trace(state, 'validate', 'failed', 'answers do not match the fixtures');
      throw new Rejection('schema_error', matched.message);
    }
    for (const coercion of matched.coercions) addCoercion(state, coercion);
    value = matched.items;
  }
  trace(
    state,
    'validate',
    'applied',
    dropped.length > 0 ? `valid; dropped extra fields ${dropped.join(', ')}` : 'valid',
  );
  return value;
}

function droppedKeys(value: unknown, fields: readonly string[]): string[] {
  const objects = Array.isArray(value) ? value : [value];
  const dropped = new Set<string>();
  for (const object of objects) {
    if (typeof object !== 'object' || object === null) continue;
    for (const key of Object.keys(object)) if (!fields.includes(key)) dropped.add(key);
  }
  return [...dropped];
}

/**
 * Reads one model reply the way a careful operator would: the handler's steps in order, then a
 * plain JSON.parse if nothing has read JSON yet, then the task schema. Never throws.
 */
export function parseReply(
  task: TaskPack,
  reply: Reply,
  handler: ResponseHandler,
  context: ParseContext = {},
): ParseOutcome {
  const apiReasoning = typeof reply?.reasoning === 'string' ? reply.reasoning : '';
  const state: State = {
    task,
    text: typeof reply?.content === 'string' ? reply.content : '',
    reasoningInText: [],
    scannedText: undefined,
    value: undefined,
    reasoning: apiReasoning.trim() === '' ? [] : [apiReasoning],
    coercions: [],
    steps: [],
    fixtureIds: context.fixtures?.map((fixture) => fixture.id),
    reasoningHadJson: /[{[]/.test(apiReasoning),
    truncated: false,
  };
  try {
    if (state.text.trim() === '')
      throw new Rejection('empty_response', emptyMessage(state, 'the reply is empty'));
    state.reasoningInText = findReasoning(state.text);
    state.scannedText = state.text;
    for (const step of stepsOf(handler)) STEP_RUNNERS[step](state);
    if (!state.value) readJson(state);
    const value = validate(state, context);
    return {
      ok: true,
      value,
      coercions: state.coercions,
      reasoning: joinReasoning(state.reasoning),
      steps: state.steps,
    };
  } catch (error) {
    const rejection =
      error instanceof Rejection
        ? error
        : new Rejection(
            'parse_error',
            `the parser failed on this reply: ${error instanceof Error ? error.message : String(error)}`,
          );
    return {
      ok: false,
      error: { class: rejection.errorClass, message: rejection.message },
      reasoning: joinReasoning(state.reasoning),
      steps: state.steps,
    };
  }
}
