import { UsageError } from './context';

/** Parses a positive integer flag, naming the flag in the error. */
export function positiveInt(value: string | undefined, flag: string, fallback: number, max = 100_000): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1 || Number(value) > max) {
    throw new UsageError(`${flag} must be a whole number from 1 to ${max} (got "${value}")`);
  }
  return Number(value);
}
