import { insideAny, type TextRange } from './capture-reasoning';
import { closingQuote, MAX_JSON_DEPTH } from './json-depth';

export interface JsonCandidate extends TextRange {
  text: string;
  /** Ran to the end of the text without closing (a truncated reply). */
  unclosed: boolean;
}

/** A pathological reply (thousands of bracket pairs) must not make extraction quadratic. */
const MAX_CANDIDATES = 1000;
/** After an unclosed candidate, rescan from inside it at most this many times. */
const MAX_RESCANS = 3;

/**
 * Balanced `{...}` and `[...]` spans in prose, in order, in one pass per scan: brackets inside
 * JSON strings (double-quoted, or single-quoted where a value or key may start) do not count, so
 * `"note": "a } here"` stays in one piece. A span that never closes runs to the end of the text;
 * the scan then restarts just inside it, because that opener may have been a stray brace in prose.
 */
export function findJsonCandidates(text: string, skip: readonly TextRange[] = []): JsonCandidate[] {
  const candidates: JsonCandidate[] = [];
  let from = 0;
  for (let rescans = 0; rescans <= MAX_RESCANS && from < text.length; rescans += 1) {
    const unclosedStart = scan(text, from, skip, candidates);
    if (unclosedStart === undefined) break;
    from = unclosedStart + 1;
  }
  if (candidates.length === 0) {
    // Only mismatched brackets: hand the text from the first opener on to repair.
    const start = firstOpener(text, skip);
    if (start !== -1)
      candidates.push({ start, end: text.length, text: text.slice(start), unclosed: false });
  }
  return candidates.sort((a, b) => a.start - b.start);
}

function firstOpener(text: string, skip: readonly TextRange[]): number {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if ((code === OPEN_BRACE || code === OPEN_BRACKET) && !insideAny(index, skip)) return index;
  }
  return -1;
}

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const COMMA = 0x2c;
const COLON = 0x3a;

const OPENER = /[{[]/g;

function isSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/** Scans from `from`; returns the start of a candidate left unclosed at the end, if any. */
function scan(
  text: string,
  from: number,
  skip: readonly TextRange[],
  out: JsonCandidate[],
): number | undefined {
  const stack: number[] = [];
  let start = -1;
  let quote = 0;
  let lastSignificant = 0;
  const length = text.length;
  for (let index = from; index < length; index += 1) {
    if (start === -1) {
      // Prose: jump to the next opener natively instead of walking every character.
      OPENER.lastIndex = index;
      const found = OPENER.exec(text);
      if (found === null) break;
      index = found.index;
      if (insideAny(index, skip)) continue;
      const opener = text.charCodeAt(index);
      start = index;
      stack.push(opener === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
      lastSignificant = opener;
      continue;
    }
    const code = text.charCodeAt(index);
    if (quote === DOUBLE_QUOTE) {
      // Long strings (reasoning, analysis fields) dominate big replies: find the closing quote natively.
      const close = closingQuote(text, index);
      if (close === -1) {
        index = length;
        break;
      }
      index = close;
      quote = 0;
      lastSignificant = DOUBLE_QUOTE;
      continue;
    }
    if (quote !== 0) {
      if (code === BACKSLASH) index += 1;
      else if (code === quote) {
        quote = 0;
        lastSignificant = code;
      } else if (code === NEWLINE && quote === SINGLE_QUOTE) quote = 0;
      continue;
    }
    if (
      code === DOUBLE_QUOTE ||
      (code === SINGLE_QUOTE &&
        (lastSignificant === OPEN_BRACE ||
          lastSignificant === OPEN_BRACKET ||
          lastSignificant === COMMA ||
          lastSignificant === COLON))
    ) {
      quote = code;
      continue;
    }
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      if (stack.length >= MAX_JSON_DEPTH) {
        // Deeper than any answer: not JSON. Drop it and carry on from here (linear time).
        stack.length = 0;
        start = -1;
        continue;
      }
      stack.push(code === OPEN_BRACE ? CLOSE_BRACE : CLOSE_BRACKET);
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      if (stack[stack.length - 1] !== code) {
        // Mismatched closer: this was not JSON. Drop it and carry on from here (linear time).
        stack.length = 0;
        start = -1;
        continue;
      }
      stack.pop();
      if (stack.length === 0) {
        push(out, { start, end: index + 1, text: text.slice(start, index + 1), unclosed: false });
        start = -1;
        continue;
      }
    }
    if (!isSpace(code)) lastSignificant = code;
  }
  if (start !== -1) {
    push(out, { start, end: length, text: text.slice(start), unclosed: true });
    return start;
  }
  return undefined;
}

/** Keeps the first candidates and always the latest one (answers usually come last). */
function push(out: JsonCandidate[], candidate: JsonCandidate): void {
  if (out.length >= MAX_CANDIDATES) out[MAX_CANDIDATES - 1] = candidate;
  else out.push(candidate);
}
