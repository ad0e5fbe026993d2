import type { ModelStatusName } from '../../src-shared/domain/status';

const LABELS: Record<ModelStatusName, string> = {
  untested: 'Untested',
  working: 'Working',
  degraded: 'Degraded',
  failing: 'Failing',
  disabled: 'Disabled',
  inactive: 'Inactive',
  unfixable: 'Unfixable',
};

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
  const tip = reason ?? LABELS[status];
  // An untested model with clean canaries but not yet enough of them (derive-status: "validating:
  // 1 of 3 clean canaries") has been tested: its chip says Validating, its status stays untested.
  const label = status === 'untested' && reason?.startsWith('validating:') ? 'Validating' : LABELS[status];
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
