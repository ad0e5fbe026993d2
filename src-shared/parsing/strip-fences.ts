import { insideAny, type TextRange } from './capture-reasoning';

const MARKER = '```';
const LANGUAGE = /^([A-Za-z][A-Za-z0-9_+-]*)?[^\S\n]*(\n|(?=[{[]))/;

export interface FenceResult {
  text: string;
  language: string;
  /** The closing fence was missing (the reply was cut off). */
  unclosed: boolean;
  /** Whether text outside the chosen fence was dropped. */
  droppedOutside: boolean;
}

/**
 * The content of the first Markdown code fence that looks like JSON (holds a `{` or `[`),
 * skipping fences inside reasoning. Fences pair up in order; a last opening fence without a
 * close runs to the end of the reply. Undefined when no fence holds JSON.
 */
export function stripFences(
  text: string,
  skip: readonly TextRange[] = [],
): FenceResult | undefined {
  const markers: number[] = [];
  for (let at = text.indexOf(MARKER); at !== -1; at = text.indexOf(MARKER, at + MARKER.length)) {
    // A longer run of backticks counts as one marker.
    let end = at + MARKER.length;
    while (text[end] === '`') end += 1;
    if (!insideAny(at, skip)) markers.push(at);
    at = end - MARKER.length;
  }
  for (let index = 0; index < markers.length; index += 2) {
    const open = markers[index] as number;
    const close = markers[index + 1];
    let contentStart = open + MARKER.length;
    while (text[contentStart] === '`') contentStart += 1;
    const raw = text.slice(contentStart, close ?? text.length);
    const tag = LANGUAGE.exec(raw);
    const language = tag?.[1]?.toLowerCase() ?? '';
    const content = tag ? raw.slice(tag[0].length) : raw;
    if (!/[{[]/.test(content)) continue;
    let afterClose = close === undefined ? text.length : close + MARKER.length;
    while (text[afterClose] === '`') afterClose += 1;
    return {
      text: content,
      language,
      unclosed: close === undefined,
      droppedOutside: `${text.slice(0, open)}${text.slice(afterClose)}`.trim() !== '',
    };
  }
  return undefined;
}
