import { hashString } from './random';
import { RECOGNISED_VARIANTS, VARIANT_SENTENCES } from './profile-schema';

export interface PromptMatch {
  matchId: string | null;
  home: string;
  homeStrength: number;
  away: string;
  awayStrength: number;
}

export interface ReadPrompt {
  matches: PromptMatch[];
  /** Bit set of recognised variants, in RECOGNISED_VARIANTS order. */
  variantMask: number;
  promptChars: number;
  /** FNV-1a of every message's text, in order. */
  contentHash: number;
}

const MATCH_LINE =
  /^(?:\[([^\]\r\n]+)\] )?(.+?) \(strength (-?\d+(?:\.\d+)?)\) vs (.+?) \(strength (-?\d+(?:\.\d+)?)\)\s*$/gm;

function messageText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const part of content) {
    if (
      part !== null &&
      typeof part === 'object' &&
      typeof (part as { text?: unknown }).text === 'string'
    ) {
      text += (part as { text: string }).text;
    }
  }
  return text;
}

/**
 * Reads what a simulated model sees: the match lines in the user messages and the variant
 * sentences in the system messages. The models have no back channel; this is all they know.
 */
export function readPrompt(messages: unknown): ReadPrompt {
  const result: ReadPrompt = {
    matches: [],
    variantMask: 0,
    promptChars: 0,
    contentHash: hashString(''),
  };
  if (!Array.isArray(messages)) return result;
  let system = '';
  let user = '';
  for (const message of messages) {
    if (message === null || typeof message !== 'object') continue;
    const { role, content } = message as { role?: unknown; content?: unknown };
    const text = messageText(content);
    result.promptChars += text.length;
    result.contentHash = hashString(text, hashString(String(role), result.contentHash));
    if (role === 'system' || role === 'developer') system += `${text}\n`;
    else if (role === 'user') user += `${text}\n`;
  }
  RECOGNISED_VARIANTS.forEach((variant, index) => {
    if (system.includes(VARIANT_SENTENCES[variant])) result.variantMask |= 1 << index;
  });
  for (const found of user.matchAll(MATCH_LINE)) {
    result.matches.push({
      matchId: found[1] ?? null,
      home: found[2] as string,
      homeStrength: Number(found[3]),
      away: found[4] as string,
      awayStrength: Number(found[5]),
    });
  }
  return result;
}
