import { jsonrepair } from 'jsonrepair';
import { deeperThan, MAX_JSON_DEPTH } from './json-depth';

export type RepairResult =
  | { ok: true; value: unknown; repairs: string[] }
  | { ok: false; message: string };

/** Names what was wrong with the text, for the coercion record (best effort: jsonrepair does not say). */
function diagnose(text: string, unclosed: boolean): string[] {
  const found: string[] = [];
  if (/,\s*[}\]]/.test(text)) found.push('trailing-comma');
  if (/(^|[{[,:]\s*)'/.test(text)) found.push('single-quotes');
  if (/(^|[^:"'])\/\/|\/\*/.test(text)) found.push('comments');
  if (/[{,]\s*[A-Za-z_][A-Za-z0-9_]*\s*:/.test(text)) found.push('unquoted-keys');
  if (unclosed) found.push('truncated');
  return found.length > 0 ? found : ['syntax'];
}

/** A rough check for callers that did not scan the text themselves (brackets in strings count). */
function balanced(text: string): boolean {
  const opens = (text.match(/[{[]/g) ?? []).length;
  const closes = (text.match(/[}\]]/g) ?? []).length;
  return opens <= closes;
}

/** Repair is for slips in an answer-sized text: past this jsonrepair gets slow and no answer needs it. */
export const MAX_REPAIR_CHARS = 64 * 1024;

/** JSON.parse, else the text repaired with jsonrepair (trailing commas, quotes, comments, cut-off ends). */
export function repairJson(text: string, truncated?: boolean): RepairResult {
  if (deeperThan(text))
    return { ok: false, message: `nested more than ${MAX_JSON_DEPTH} levels deep` };
  try {
    return { ok: true, value: JSON.parse(text), repairs: [] };
  } catch {
    // fall through to the repair
  }
  if (text.length > MAX_REPAIR_CHARS) {
    return {
      ok: false,
      message: `too long to repair: ${text.length} characters (repairs go up to ${MAX_REPAIR_CHARS})`,
    };
  }
  try {
    const repaired = jsonrepair(text);
    return {
      ok: true,
      value: JSON.parse(repaired),
      repairs: diagnose(text, truncated ?? !balanced(text)),
    };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
