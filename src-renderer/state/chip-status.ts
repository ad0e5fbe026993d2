import { MODEL_STATUSES, type ModelStatusName } from '../../src-shared/domain/status';
import type { ModelRowView } from '../../src-shared/ipc';
import { VALIDATING_REASON } from '../../src-shared/lifecycle';

/**
 * What a model's chip reads: its status, except that an untested model with clean canaries but
 * not yet enough of them (derive-status: "validating: 1 of 3 clean canaries") reads `validating`.
 * The chip, the status filter and its counts all go through `chipStatus`, so they cannot disagree.
 */
export type ChipStatus = ModelStatusName | 'validating';

/** Every chip status, in the order the status filter lists them. */
export const CHIP_STATUSES: readonly ChipStatus[] = [
  'untested',
  'validating',
  ...MODEL_STATUSES.filter((status) => status !== 'untested'),
];

export const CHIP_LABELS: Record<ChipStatus, string> = {
  untested: 'Untested',
  validating: 'Validating',
  working: 'Working',
  degraded: 'Degraded',
  failing: 'Failing',
  disabled: 'Disabled',
  inactive: 'Inactive',
  unfixable: 'Unfixable',
};

export function isChipStatus(value: string): value is ChipStatus {
  return (CHIP_STATUSES as readonly string[]).includes(value);
}

/** The model has been tested (its status stays untested until enough clean canaries vouch). */
export function chipStatus(row: Pick<ModelRowView, 'status' | 'reason'>): ChipStatus {
  if (row.status === 'untested' && row.reason?.startsWith(VALIDATING_REASON)) return 'validating';
  return row.status;
}
