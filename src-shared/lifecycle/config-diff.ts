export interface FieldChange {
  field: string;
  from: unknown;
  to: unknown;
}

function canonical(value: unknown): string {
  return (
    JSON.stringify(value, (_key, entry) =>
      entry && typeof entry === 'object' && !Array.isArray(entry)
        ? Object.fromEntries(
            Object.entries(entry as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
          )
        : entry,
    ) ?? 'undefined'
  );
}

/** The fields that differ between two configs, in a stable (alphabetical) order; missing equals null. */
export function diffFields(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
): FieldChange[] {
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return fields
    .filter((field) => canonical(from[field] ?? null) !== canonical(to[field] ?? null))
    .map((field) => ({ field, from: from[field] ?? null, to: to[field] ?? null }));
}

/** A unified diff of two configs, one field a line, `-`/`+` for what changed. */
export function unifiedConfigDiff(
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  labels: { from: string; to: string },
): string {
  const fields = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  const lines = [`--- ${labels.from}`, `+++ ${labels.to}`];
  for (const field of fields) {
    const before = from[field] === undefined ? undefined : `${field}: ${canonical(from[field])}`;
    const after = to[field] === undefined ? undefined : `${field}: ${canonical(to[field])}`;
    if (before === after) lines.push(`  ${before}`);
    else {
      if (before !== undefined) lines.push(`- ${before}`);
      if (after !== undefined) lines.push(`+ ${after}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function sameValue(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}
