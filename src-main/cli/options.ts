import { UsageError } from './context';

/**
 * "90s", "5m", "1h", "250ms" or plain milliseconds, for every duration flag. `unit: 'required'`
 * refuses a bare number (`soak --duration 10` read as 10 ms would end the soak at once).
 */
export function parseDuration(value: string, flag: string, options: { unit?: 'required' } = {}): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  if (!match) throw new UsageError(`${flag} must be a duration such as 500ms, 90s, 5m or 1h (got "${value}")`);
  if (match[2] === undefined && options.unit === 'required')
    throw new UsageError(`${flag} needs a unit, such as 90s, 10m or 1h (got "${value}", which would be milliseconds)`);
  const amount = Number(match[1]);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(amount * unit);
}

/** Parses a positive integer flag, naming the flag in the error. */
export function positiveInt(value: string | undefined, flag: string, fallback: number, max = 100_000): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max} (got "${value}")`);
  }
  return Number(value);
}
