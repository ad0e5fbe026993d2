import { jsonrepair } from 'jsonrepair';

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

/** JSON.parse, else the text repaired with jsonrepair (trailing commas, quotes, comments, cut-off ends). */
export function repairJson(text: string, truncated = !balanced(text)): RepairResult {
  try {
    return { ok: true, value: JSON.parse(text), repairs: [] };
  } catch {
    // fall through to the repair
  }
  try {
    const repaired = jsonrepair(text);
    return { ok: true, value: JSON.parse(repaired), repairs: diagnose(text, truncated) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
