import type { OutputField, TaskPack } from '../tasks';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keys seen so far, normalised: every reply repeats the same few, and each is looked up often. */
const normalised = new Map<string, string>();
const NORMALISED_KEPT = 4096;
const NORMALISED_KEY_LENGTH = 64;

/** `home_score`, `HomeScore` and `home-score` all normalise to `homescore`. */
export function normaliseKey(key: string): string {
  const known = normalised.get(key);
  if (known !== undefined) return known;
  const result = key.toLowerCase().replace(/[^a-z0-9]/g, '');
  // Bounded: a stream of hostile replies with fresh (or huge) keys cannot grow it without limit.
  if (key.length > NORMALISED_KEY_LENGTH) return result;
  if (normalised.size >= NORMALISED_KEPT) normalised.clear();
  normalised.set(key, result);
  return result;
}

const NUMERIC = /^[+-]?\d+(\.\d+)?$/;

interface KeyIndex {
  /** normalised key -> canonical field, canonical names and task aliases alike. */
  byKey: Map<string, OutputField>;
  wrappers: Set<string>;
  /** The fields' canonical names. */
  names: Set<string>;
}

const indexes = new WeakMap<TaskPack, KeyIndex>();

function keyIndex(task: TaskPack): KeyIndex {
  const cached = indexes.get(task);
  if (cached) return cached;
  const byKey = new Map<string, OutputField>();
  for (const field of task.output.fields) byKey.set(normaliseKey(field.name), field);
  for (const field of task.output.fields) {
    for (const alias of task.aliases[field.name] ?? []) {
      if (!byKey.has(normaliseKey(alias))) byKey.set(normaliseKey(alias), field);
    }
  }
  const index = {
    byKey,
    wrappers: new Set(task.wrappers.map(normaliseKey)),
    names: new Set(task.output.fields.map((field) => field.name)),
  };
  indexes.set(task, index);
  return index;
}

function numericLike(value: unknown): boolean {
  return (
    (typeof value === 'number' && Number.isFinite(value)) ||
    (typeof value === 'string' && NUMERIC.test(value.trim()))
  );
}

/** How many integer fields of the answer an object holds with a number (or numeric string). */
function answerScore(task: TaskPack, value: Json): number {
  const { byKey } = keyIndex(task);
  const found = new Set<string>();
  for (const [key, entry] of Object.entries(value)) {
    const field = byKey.get(normaliseKey(key));
    if (field?.type === 'integer' && numericLike(entry)) found.add(field.name);
  }
  return found.size;
}

/** Whether a parsed value holds anything the task would recognise, at most a few levels down. */
export function looksLikeAnswer(task: TaskPack, value: unknown, depth = 0): boolean {
  if (depth > 3) return false;
  if (Array.isArray(value))
    return value.slice(0, 5).some((item) => looksLikeAnswer(task, item, depth + 1));
  if (!isObject(value)) return false;
  if (answerScore(task, value) > 0) return true;
  return Object.values(value).some((entry) => looksLikeAnswer(task, entry, depth + 1));
}

function integerFieldCount(task: TaskPack): number {
  return task.output.fields.filter((field) => field.type === 'integer').length;
}

/**
 * The object that holds the answer: the value itself when it has every score, else the first
 * wrapper (`prediction`, `scores`, ...) or other nested object that does, else the best partial
 * match. Returns the path of keys unwrapped.
 */
function findAnswerObject(
  task: TaskPack,
  value: Json,
  depth = 0,
): { object: Json; path: string[] } {
  const want = integerFieldCount(task);
  const here = answerScore(task, value);
  if (here === want || depth >= 3) return { object: value, path: [] };
  const { wrappers } = keyIndex(task);
  const entries = Object.entries(value);
  const ordered = [
    ...entries.filter(([key]) => wrappers.has(normaliseKey(key))),
    ...entries.filter(([key]) => !wrappers.has(normaliseKey(key))),
  ];
  let best: { object: Json; path: string[]; score: number } = {
    object: value,
    path: [],
    score: here,
  };
  for (const [key, entry] of ordered) {
    const inner = Array.isArray(entry) && entry.length === 1 ? entry[0] : entry;
    if (!isObject(inner)) continue;
    const found = findAnswerObject(task, inner, depth + 1);
    const score = answerScore(task, found.object);
    if (score === want) return { object: found.object, path: [key, ...found.path] };
    if (score > best.score) best = { object: found.object, path: [key, ...found.path], score };
  }
  return best;
}

/**
 * Renames known variants of each field to its canonical name and turns numeric strings into
 * numbers (and numbers into strings for string fields). Unknown keys are kept: validation drops
 * them. Each change is added to `coercions`.
 */
function coerceFields(task: TaskPack, value: Json, coercions: Set<string>): Json {
  const { byKey, names } = keyIndex(task);
  const out: Json = {};
  const extras: Json = {};
  // Canonical spelling first, so `{"homeScore": 2, "home": "Arsenal"}` keeps homeScore.
  const entries = Object.entries(value).sort(
    ([a], [b]) => Number(!names.has(a)) - Number(!names.has(b)),
  );
  for (const [key, entry] of entries) {
    const field = byKey.get(normaliseKey(key));
    const spelling = field !== undefined && normaliseKey(key) === normaliseKey(field.name);
    // An alias such as `home` only counts when it holds a score: `"home": "Arsenal"` is a team.
    if (
      !field ||
      field.name in out ||
      (field.type === 'integer' && !spelling && !numericLike(entry))
    ) {
      if (!(key in out)) extras[key] = entry;
      continue;
    }
    if (key !== field.name) coercions.add(`rename:${key}->${field.name}`);
    out[field.name] = coerceValue(field, entry, coercions);
  }
  for (const [key, entry] of Object.entries(extras)) if (!(key in out)) out[key] = entry;
  return out;
}

function coerceValue(field: OutputField, value: unknown, coercions: Set<string>): unknown {
  if (field.type === 'integer' && typeof value === 'string' && NUMERIC.test(value.trim())) {
    coercions.add(`number:${field.name}`);
    return Number(value.trim());
  }
  if (field.type === 'string' && typeof value === 'number' && Number.isFinite(value)) {
    coercions.add(`string:${field.name}`);
    return String(value);
  }
  return value;
}

function coerceItem(task: TaskPack, value: unknown, coercions: Set<string>): unknown {
  if (!isObject(value)) return value;
  const { object, path } = findAnswerObject(task, value);
  if (path.length > 0) coercions.add(`unwrap:${path.join('.')}`);
  return coerceFields(task, object, coercions);
}

/** Known variants of the task's answer, turned into its schema's shape, recording each change. */
export function coerceAnswer(
  task: TaskPack,
  value: unknown,
  fixtureIds: readonly string[] | undefined,
): { value: unknown; coercions: string[] } {
  const coercions = new Set<string>();
  if (task.output.shape === 'object') {
    let single = value;
    if (Array.isArray(value) && value.length === 1) {
      coercions.add('unwrap:array');
      single = value[0];
    }
    return { value: coerceItem(task, single, coercions), coercions: [...coercions] };
  }
  const items = toItems(task, value, fixtureIds, coercions);
  if (!Array.isArray(items)) return { value: items, coercions: [...coercions] };
  return {
    value: items.map((item) => coerceItem(task, item, coercions)),
    coercions: [...coercions],
  };
}

/** An array answer from `{"predictions": [...]}`, `{"<matchId>": {...}}` or a single item. */
function toItems(
  task: TaskPack,
  value: unknown,
  fixtureIds: readonly string[] | undefined,
  coercions: Set<string>,
): unknown {
  if (Array.isArray(value) || !isObject(value)) return value;
  const { wrappers } = keyIndex(task);
  const entries = Object.entries(value);
  const arrayEntries = entries.filter(([, entry]) => Array.isArray(entry) && entry.some(isObject));
  const wrapped =
    arrayEntries.find(([key]) => wrappers.has(normaliseKey(key))) ??
    (arrayEntries.length === 1 ? arrayEntries[0] : undefined);
  if (wrapped) {
    coercions.add(`unwrap:${wrapped[0]}`);
    return wrapped[1];
  }
  const idField = task.output.idField as string;
  const knownIds = new Set((fixtureIds ?? []).map((id) => id.toLowerCase()));
  const keyed =
    entries.length > 0 &&
    entries.every(
      ([key, entry]) =>
        isObject(entry) && (knownIds.has(key.toLowerCase()) || answerScore(task, entry) > 0),
    ) &&
    entries.every(
      ([key]) => !keyIndex(task).byKey.has(normaliseKey(key)) && !wrappers.has(normaliseKey(key)),
    );
  if (keyed) {
    coercions.add('collect:keyed-object');
    return entries.map(([key, entry]) => ({ [idField]: key, ...(entry as Json) }));
  }
  if (answerScore(task, value) > 0) {
    coercions.add('wrap:array');
    return [value];
  }
  return value;
}
