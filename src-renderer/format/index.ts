/**
 * Display formatting. Money arrives as USD numbers; an unknown figure (null) or an unpriced model
 * is said in words, never shown as $0.
 */
import { displayUsd } from '../../src-shared/money';

/** USD as every surface shows it (the console, the feed): one rule, in src-shared/money. */
export const formatUsd = displayUsd;

/** Cost per successful prediction: a model that never succeeded says so, never "$0" or "unknown". */
export function formatCostPerSuccess(
  successRate: number | null,
  usd: number | null,
  options: { unpriced?: boolean } = {},
): string {
  return successRate === 0 ? 'no success' : formatUsd(usd, options);
}

export function formatPercent(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '—';
  return `${(value * 100).toFixed(digits)}%`;
}

export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value < 1000) return `${Math.round(value)} ms`;
  return `${(value / 1000).toFixed(value < 10_000 ? 2 : 1)} s`;
}

export function formatTokens(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Math.round(value).toLocaleString('en-US');
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** "3 min ago" for the last hours, a UTC date and time beyond; null → "never". */
export function formatWhen(iso: string | null | undefined, now: number = Date.now()): string {
  if (!iso) return 'never';
  const at = Date.parse(iso);
  if (Number.isNaN(at)) return iso;
  const seconds = Math.round((now - at) / 1000);
  if (seconds < 0) return formatUtc(iso);
  if (seconds < 60) return `${seconds} s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  return formatUtc(iso);
}

/** "2026-05-01 14:03 UTC": times the operator compares are shown in one explicit zone. */
export function formatUtc(iso: string): string {
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
