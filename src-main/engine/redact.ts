/**
 * Removes API keys, by value, from any text about to be written (records, logs, exports). Keys
 * shorter than 8 characters are still redacted; an empty key list returns the text unchanged.
 */
export function makeRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const values = [...new Set(secrets.filter((secret): secret is string => typeof secret === 'string' && secret.length > 0))]
    .sort((a, b) => b.length - a.length);
  if (values.length === 0) return (text) => text;
  return (text) => {
    let out = text;
    for (const value of values) {
      if (out.includes(value)) out = out.split(value).join('[redacted]');
    }
    return out;
  };
}
