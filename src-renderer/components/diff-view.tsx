import { diffLines } from 'diff';
import { useMemo, useState } from 'react';

interface Line {
  kind: 'add' | 'del' | 'same';
  text: string;
}

function toLines(before: string, after: string): Line[] {
  const lines: Line[] = [];
  for (const change of diffLines(before, after)) {
    const kind = change.added ? 'add' : change.removed ? 'del' : 'same';
    const parts = change.value.replace(/\n$/, '').split('\n');
    for (const text of parts) lines.push({ kind, text });
  }
  return lines;
}

const SIGN = { add: '+', del: '-', same: ' ' } as const;

/** A line diff, unified or split, of two texts (a prompt, a config as JSON). */
export function DiffView({
  before,
  after,
  beforeLabel,
  afterLabel,
}: {
  before: string;
  after: string;
  beforeLabel: string;
  afterLabel: string;
}) {
  const [mode, setMode] = useState<'unified' | 'split'>('unified');
  const lines = useMemo(() => toLines(before, after), [before, after]);
  const changed = lines.filter((line) => line.kind !== 'same').length;
  return (
    <div className="stack" data-diff-changes={changed}>
      <div className="row small">
        <span className="muted">
          {beforeLabel} → {afterLabel}:{' '}
          {changed === 0 ? 'no changes' : `${changed} changed line${changed === 1 ? '' : 's'}`}
        </span>
        <span className="seg">
          <button
            type="button"
            aria-pressed={mode === 'unified'}
            onClick={() => setMode('unified')}
          >
            Unified
          </button>
          <button type="button" aria-pressed={mode === 'split'} onClick={() => setMode('split')}>
            Split
          </button>
        </span>
      </div>
      {mode === 'unified' ? (
        <section className="diff" aria-label="Diff">
          {lines.map((line, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: diff lines have no identity but their position
            <div key={index} className={`diff-line ${line.kind}`}>
              <span className="sign">{SIGN[line.kind]}</span>
              {line.text}
            </div>
          ))}
        </section>
      ) : (
        <section className="diff diff-split" aria-label="Split diff">
          <div>
            {lines
              .filter((line) => line.kind !== 'add')
              .map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: diff lines have no identity but their position
                <div key={index} className={`diff-line ${line.kind}`}>
                  {line.text}
                </div>
              ))}
          </div>
          <div>
            {lines
              .filter((line) => line.kind !== 'del')
              .map((line, index) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: diff lines have no identity but their position
                <div key={index} className={`diff-line ${line.kind}`}>
                  {line.text}
                </div>
              ))}
          </div>
        </section>
      )}
    </div>
  );
}
