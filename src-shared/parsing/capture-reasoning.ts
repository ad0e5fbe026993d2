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
  let open: { name: string; start: number; innerStart: number } | undefined;
  let consumedTo = 0;
  TAG.lastIndex = 0;
  for (let match = TAG.exec(text); match !== null; match = TAG.exec(text)) {
    const closing = match[1] === '/';
    const name = (match[2] as string).toLowerCase();
    const tagEnd = match.index + match[0].length;
    if (open) {
      if (closing && name === open.name) {
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
    if (!closing) {
      open = { name, start: match.index, innerStart: tagEnd };
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
