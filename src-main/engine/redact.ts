/** A redactor that can learn keys added after it was made (a key set in the console). */
export interface Redactor {
  (text: string): string;
  /** Adds a key to redact from now on; empty and known keys are ignored. */
  add(secret: string | undefined): void;
}

/**
 * Removes API keys, by value, from any text about to be written (records, logs, exports). Keys
 * shorter than 8 characters are still redacted; an empty key list returns the text unchanged.
 */
export function makeRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const known = new Set<string>();
  // Longest first, so a key that contains another is removed whole.
  let values: string[] = [];
  const add = (secret: string | undefined): void => {
    if (typeof secret !== 'string' || secret.length === 0 || known.has(secret)) return;
    known.add(secret);
    values = [...known].sort((a, b) => b.length - a.length);
  };
  for (const secret of secrets) add(secret);
  const redact = (text: string): string => {
    let out = text;
    for (const value of values) {
      if (out.includes(value)) out = out.split(value).join('[redacted]');
    }
    return out;
  };
  return Object.assign(redact, { add });
}

/**
 * A parsed answer with keys removed from its strings (a task may have free-text fields that
 * echo one). Returned as is when its JSON holds no key, which is every answer in practice.
 */
export function redactValue<T>(value: T, redact: (text: string) => string): T {
  if (value === null || value === undefined || typeof value === 'number' || typeof value === 'boolean') return value;
  const text = JSON.stringify(value);
  const redacted = redact(text);
  return redacted === text ? value : (JSON.parse(redacted) as T);
}
