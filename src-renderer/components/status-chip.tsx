import type { ModelStatusName } from '../../src-shared/domain/status';
import { CHIP_LABELS, chipStatus } from '../state/chip-status';

/** A model's status; the reason is its tooltip (and is read out by screen readers). */
export function StatusChip({
  status,
  reason,
  running = false,
}: {
  status: ModelStatusName;
  reason: string | null;
  running?: boolean;
}) {
  const label = CHIP_LABELS[chipStatus({ status, reason })];
  const tip = reason ?? label;
  return (
    <span
      className={`chip chip-${running ? 'running' : status}`}
      title={running ? `Running now · ${tip}` : tip}
      data-status={status}
    >
      {running ? 'Running' : label}
    </span>
  );
}
