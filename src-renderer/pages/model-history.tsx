import { useState } from 'react';
import type { ModelDetailView } from '../../src-shared/ipc';
import { DiffView } from '../components/diff-view';
import { InlineError } from '../components/inline-error';
import { useAsyncAction } from '../components/use-async-action';
import { formatPercent, formatUtc } from '../format';
import { useActions } from '../state';
import { configText } from './config-checks';

interface DiffPair {
  from: number;
  to: number;
}

/** Every config version; any two diffed; rollback writes a new version equal to an old one. */
export function ModelHistory({ detail }: { detail: ModelDetailView }) {
  const versions = [...detail.versions].sort((left, right) => right.version - left.version);
  const latest = versions[0]?.version ?? detail.row.configVersion;
  const current = detail.row.configVersion;
  // By default the diff shows what the current version changed (previous → current), or for a
  // model still on its first version what its newest trial changes (current → trial). A pair the
  // operator picked holds only while the current version stays the one it was picked on: a save
  // or a rollback (a new version) brings the default back instead of a stale pair.
  const [picked, setPicked] = useState<(DiffPair & { onVersion: number }) | null>(null);
  // The version the current one replaced: a trial never was the model's config. With none (the
  // current config is the first), the newest trial's changes show instead: current → trial.
  const replaced = versions.find((version) => version.version < current && !version.trial);
  const newestOther = versions.find((version) => version.version !== current);
  const fallback: { from: number | null; to: number } = replaced
    ? { from: replaced.version, to: current }
    : newestOther
      ? { from: current, to: newestOther.version }
      : { from: null, to: current };
  const { from, to }: { from: number | null; to: number } =
    picked && picked.onVersion === current ? picked : fallback;
  const pick = (pair: DiffPair) => setPicked({ ...pair, onVersion: current });
  const [confirming, setConfirming] = useState<number | null>(null);
  const { rollbackModel } = useActions();
  const rollback = useAsyncAction(rollbackModel);
  const byVersion = new Map(detail.versions.map((version) => [version.version, version]));
  const fromVersion = from === null ? undefined : byVersion.get(from);
  const toVersion = byVersion.get(to);
  const single = versions.length < 2;
  const attempts = new Map(detail.fixAttempts.map((attempt) => [attempt.version, attempt]));

  return (
    <div className="stack" data-history-versions={versions.length}>
      <table className="table">
        <thead>
          <tr>
            <th>Version</th>
            <th>Note</th>
            <th>Saved</th>
            <th className="num">Success on it</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((version) => {
            const attempt = attempts.get(version.version);
            return (
              <tr key={version.version} data-version={version.version}>
                <td>
                  v{version.version}
                  {version.version === detail.row.configVersion && (
                    <span className="tag ok" style={{ marginLeft: 6 }}>
                      current
                    </span>
                  )}
                  {version.trial && (
                    <span
                      className="tag"
                      style={{ marginLeft: 6 }}
                      title="Tried beside the current config without saving; roll back to it to make it current"
                    >
                      trial
                    </span>
                  )}
                </td>
                <td>{version.note || <span className="muted">—</span>}</td>
                <td className="small muted">{formatUtc(version.createdAt)}</td>
                <td className="num">
                  {attempt ? `${formatPercent(attempt.successRate, 0)} of ${attempt.calls}` : '—'}
                </td>
                <td className="row">
                  {!single && (
                    <span className="seg">
                      <button
                        type="button"
                        data-diff-from={version.version}
                        aria-pressed={version.version === from}
                        onClick={() => pick({ from: version.version, to })}
                        title="Diff from this version"
                      >
                        from
                      </button>
                      <button
                        type="button"
                        data-diff-to={version.version}
                        aria-pressed={version.version === to}
                        onClick={() => pick({ from: from ?? version.version, to: version.version })}
                        title="Diff to this version"
                      >
                        to
                      </button>
                    </span>
                  )}
                  {version.version !== detail.row.configVersion && (
                    <button
                      type="button"
                      className="small"
                      data-action="rollback"
                      onClick={() => setConfirming(version.version)}
                    >
                      {/* A trial never was the model's config: adopting it is no roll "back". */}
                      {version.trial ? `Make v${version.version} current` : `Roll back to v${version.version}`}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {confirming !== null && byVersion.get(confirming) && (
        <div className="card stack" role="alertdialog" aria-label="Confirm rollback">
          <strong>
            {byVersion.get(confirming)!.trial
              ? `Make ${detail.row.id}'s trial v${confirming} its config?`
              : `Roll back ${detail.row.id} to v${confirming}?`}
          </strong>
          <div className="small">
            This writes v{latest + 1} equal to v{confirming}; the next calls and canaries use it,
            running runs keep their pinned version. What changes:
          </div>
          <DiffView
            before={configText(detail.config)}
            after={configText(byVersion.get(confirming)!.config)}
            beforeLabel={`v${detail.row.configVersion} (current)`}
            afterLabel={`v${confirming}`}
          />
          <InlineError error={rollback.error} title="Rollback failed" />
          <div className="row">
            <button
              type="button"
              className="primary"
              data-action="confirm-rollback"
              disabled={rollback.pending}
              onClick={async () => {
                const version = await rollback.run(
                  detail.row.id,
                  confirming,
                  byVersion.get(confirming)!.trial ? `adopt trial v${confirming}` : `rollback to v${confirming}`,
                );
                if (version !== null) setConfirming(null);
              }}
            >
              {byVersion.get(confirming)!.trial ? 'Make it current' : 'Roll back'}
            </button>
            <button type="button" onClick={() => setConfirming(null)}>
              Keep v{detail.row.configVersion}
            </button>
          </div>
        </div>
      )}
      {single ? (
        <div className="card muted small" data-diff-pair="none">
          Nothing to compare yet: v{current} is this model's only config version. Save a change on
          the Config tab to diff it against v{current}.
        </div>
      ) : (
        fromVersion &&
        toVersion && (
          <div className="card" data-diff-pair={`${from}-${to}`}>
            <h3>
              Diff v{from} → v{to}
            </h3>
            <DiffView
              before={configText(fromVersion.config)}
              after={configText(toVersion.config)}
              beforeLabel={`v${from}`}
              afterLabel={`v${to}`}
            />
          </div>
        )
      )}
    </div>
  );
}
