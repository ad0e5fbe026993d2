import { z } from 'zod';
import type { OutputField, OutputSpec } from '../tasks';

const schemas = new WeakMap<OutputSpec, z.ZodType>();

function fieldSchema(field: OutputField): z.ZodType {
  return field.type === 'integer' ? z.int().min(field.min).max(field.max) : z.string().min(1);
}

/** The zod schema of one answer (object) or of one call's answers (array); unknown keys dropped. */
export function answerSchema(output: OutputSpec): z.ZodType {
  const cached = schemas.get(output);
  if (cached) return cached;
  const item = z.object(
    Object.fromEntries(output.fields.map((field) => [field.name, fieldSchema(field)])),
  );
  const schema = output.shape === 'array' ? z.array(item).min(1) : item;
  schemas.set(output, schema);
  return schema;
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  const text = JSON.stringify(value);
  if (text === undefined) return String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function expectation(field: OutputField): string {
  return field.type === 'integer'
    ? `expected an integer from ${field.min} to ${field.max}`
    : 'expected a non-empty string';
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

/** One line per problem, naming the field, what was expected and what the reply held. */
export function describeIssues(output: OutputSpec, issues: readonly z.core.$ZodIssue[]): string {
  const names = output.fields.map((field) => field.name).join(', ');
  const lines = issues.slice(0, 4).map((issue) => {
    const input = (issue as { input?: unknown }).input;
    const path = formatPath(issue.path);
    const fieldName = issue.path.at(-1);
    const field = output.fields.find((entry) => entry.name === fieldName);
    if (field) {
      if (input === undefined) return `${path}: required field is missing`;
      return `${path}: ${expectation(field)}, got ${describeValue(input)}`;
    }
    const what =
      output.shape === 'array' && issue.path.length === 0
        ? 'a JSON array of objects'
        : 'a JSON object';
    if (issue.code === 'too_small' && output.shape === 'array')
      return 'expected at least one answer, got an empty array';
    return `${path === '' ? '' : `${path}: `}expected ${what} with ${names}, got ${describeValue(input)}`;
  });
  const more = issues.length > 4 ? ` (and ${issues.length - 4} more)` : '';
  return `${lines.join('; ')}${more}`;
}
