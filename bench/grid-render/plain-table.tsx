import { useLayoutEffect } from 'react';
import type { ModelRowView } from '../../src-shared/ipc';
import { StatusChip } from '../../src-renderer/components/status-chip';
import { formatMs, formatPercent, formatUsd, formatWhen } from '../../src-renderer/format';

/** The bench's baseline: the same cells as the fleet grid, every row mounted, no virtualisation. */
export function PlainTable({ rows, onCommitted }: { rows: ModelRowView[]; onCommitted(): void }) {
  useLayoutEffect(() => onCommitted(), [onCommitted]);
  return (
    <table className="table">
      <thead>
        <tr>
          {[
            '',
            'Model',
            'Status',
            'Reason',
            'Success',
            'p50',
            'Cost/success',
            'Calls',
            'Variant',
            'Timeout',
            'Fallback',
            'Validated',
            '',
          ].map((label, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: fixed header
            <th key={index}>{label}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>
              <input type="checkbox" readOnly checked={false} />
            </td>
            <td>
              <a href={`#/model/${encodeURIComponent(row.id)}`}>{row.id}</a>
            </td>
            <td>
              <StatusChip status={row.status} reason={row.reason} />
            </td>
            <td>{row.reason ?? ''}</td>
            <td>{formatPercent(row.successRate, 0)}</td>
            <td>{formatMs(row.p50LatencyMs)}</td>
            <td>{formatUsd(row.costPerSuccessUsd, { unpriced: row.unpriced })}</td>
            <td>{row.calls}</td>
            <td>{row.promptVariant}</td>
            <td>{row.timeoutMs / 1000} s</td>
            <td>{row.fallback ?? 'none'}</td>
            <td>{formatWhen(row.lastValidated)}</td>
            <td>
              <button type="button">Canary</button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
