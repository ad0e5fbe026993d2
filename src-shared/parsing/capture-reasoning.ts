export interface TextRange {
  start: number;
  end: number;
}

export interface ReasoningBlock extends TextRange {
  /** The text inside the tags. */
  inner: string;
  kind: 'block' | 'orphan-close' | 'unclosed';
}

const TAG = /<(\/?)(think|thinking|reasoning)\s*>/gi;

/**
 * The reasoning blocks in a reply: `<think>`, `<thinking>` and `<reasoning>` pairs; text before an
 * orphan `</think>` (the chat template opened the block); and an opening tag that never closes
 * (the reply was cut off mid-thought). One linear pass over the tags.
 */
export function findReasoning(text: string): ReasoningBlock[] {
  const blocks: ReasoningBlock[] = [];
  let open: { name: string; start: number; innerStart: number; depth: number } | undefined;
  let consumedTo = 0;
  const insideJsonString = jsonStringTracker(text);
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match !== null; match = TAG.exec(text)) {
    const closing = match[1] === '/';
    const name = (match[2] as string).toLowerCase();
    const tagEnd = match.index + match[0].length;
    if (open) {
      // A block nested in one of the same name closes first: the outer block runs to its own close.
      if (name === open.name) open.depth += closing ? -1 : 1;
      if (open.depth === 0) {
        blocks.push({
          start: open.start,
          end: tagEnd,
          inner: text.slice(open.innerStart, match.index),
          kind: 'block',
        });
        consumedTo = tagEnd;
        open = undefined;
      }
      continue;
    }
    if (insideJsonString(match.index)) continue;
    if (!closing) {
      open = { name, start: match.index, innerStart: tagEnd, depth: 1 };
    } else if (blocks.length === 0 && consumedTo === 0) {
      // The opening tag was part of the chat template: all text before the close is reasoning.
      blocks.push({
        start: 0,
        end: tagEnd,
        inner: text.slice(0, match.index),
        kind: 'orphan-close',
      });
      consumedTo = tagEnd;
    }
  }
  if (open) {
    blocks.push({
      start: open.start,
      end: text.length,
      inner: text.slice(open.innerStart),
      kind: 'unclosed',
    });
  }
  return blocks;
}

/**
 * Tells, for increasing positions, whether a position sits inside a string of a reply that opens
 * as JSON (`{"note":"</think>"}`): a tag there is the answer's text, not a reasoning tag. One
 * forward pass over the text however many tags are asked about.
 */
function jsonStringTracker(text: string): (position: number) => boolean {
  const start = text.search(/\S/);
  if (start < 0 || (text[start] !== '{' && text[start] !== '[')) return () => false;
  let index = start;
  let inString = false;
  return (position) => {
    for (; index < position; index++) {
      const char = text[index];
      if (char === '\\' && inString) index++;
      else if (char === '"') inString = !inString;
    }
    return inString;
  };
}

/** `text` without the given ranges (sorted, non-overlapping). */
export function removeRanges(text: string, ranges: readonly TextRange[]): string {
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const range of ranges) {
    out += text.slice(at, range.start);
    at = range.end;
  }
  return out + text.slice(at);
}

export function insideAny(position: number, ranges: readonly TextRange[]): boolean {
  return ranges.some((range) => position >= range.start && position < range.end);
}
