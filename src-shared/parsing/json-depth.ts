/**
 * No answer nests deeper than this. Past it a reply is not read as JSON at all: JSON.parse and
 * jsonrepair spend hundreds of milliseconds (or overflow the stack) on 1 MB of `[`.
 */
export const MAX_JSON_DEPTH = 64;

const SIGNIFICANT = /["{}[\]]/g;

/**
 * Whether brackets outside double-quoted strings nest deeper than `limit` (stops as soon as they
 * do). Jumps between brackets and quotes natively: long string values cost an indexOf, not a loop.
 */
export function deeperThan(text: string, limit: number = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  SIGNIFICANT.lastIndex = 0;
  for (let match = SIGNIFICANT.exec(text); match !== null; match = SIGNIFICANT.exec(text)) {
    const char = match[0];
    if (char === '"') {
      const close = closingQuote(text, match.index + 1);
      if (close === -1) return false;
      SIGNIFICANT.lastIndex = close + 1;
    } else if (char === '{' || char === '[') {
      if (++depth > limit) return true;
    } else depth--;
  }
  return false;
}

/** Index of the unescaped `"` that closes a string whose body starts at `from`, or -1. */
export function closingQuote(text: string, from: number): number {
  let at = text.indexOf('"', from);
  while (at !== -1) {
    let backslashes = 0;
    for (let back = at - 1; back >= from && text.charCodeAt(back) === 0x5c; back -= 1)
      backslashes += 1;
    if (backslashes % 2 === 0) return at;
    at = text.indexOf('"', at + 1);
  }
  return -1;
}
