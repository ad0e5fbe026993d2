import { type KeyboardEvent, useEffect, useMemo, useRef, useState } from 'react';
import { navigate, modelRoute, runRoute } from '../routing';
import { useActions, useApp } from '../state';

interface Target {
  key: string;
  label: string;
  detail: string;
  go(): void;
}

const MAX_RESULTS = 30;

/** Cmd/Ctrl+K: jump to any model or run by typing part of its id. */
export function QuickJump() {
  const open = useApp((state) => state.quickJumpOpen);
  if (!open) return null;
  return <QuickJumpDialog />;
}

function QuickJumpDialog() {
  const { setQuickJumpOpen } = useActions();
  const fleetIds = useApp((state) => state.fleetIds);
  const runIds = useApp((state) => state.runIds);
  const runsById = useApp((state) => state.runsById);
  const [query, setQuery] = useState('');
  const [cursor, setCursor] = useState(0);
  // Where focus was when the dialog opened: closing it without a jump gives focus back there
  // (the grid's active row, say), never to the page body.
  const [opener] = useState(() =>
    document.activeElement instanceof HTMLElement && document.activeElement !== document.body
      ? document.activeElement
      : null,
  );
  const jumped = useRef(false);
  useEffect(
    () => () => {
      if (!jumped.current) opener?.focus();
    },
    [opener],
  );

  const targets = useMemo(() => {
    const needle = query.trim().toLowerCase();
    const found: Target[] = [];
    for (const id of fleetIds) {
      if (found.length >= MAX_RESULTS) break;
      if (id.toLowerCase().includes(needle))
        found.push({
          key: `m:${id}`,
          label: id,
          detail: 'model',
          go: () => navigate(modelRoute(id)),
        });
    }
    for (const id of runIds) {
      if (found.length >= MAX_RESULTS) break;
      const run = runsById[id];
      if (id.toLowerCase().includes(needle) || run?.kind.includes(needle)) {
        found.push({
          key: `r:${id}`,
          label: id,
          detail: `${run?.kind ?? 'run'} · ${run?.status ?? ''}`,
          go: () => navigate(runRoute(id)),
        });
      }
    }
    return found;
  }, [query, fleetIds, runIds, runsById]);

  const close = () => setQuickJumpOpen(false);
  const choose = (target: Target | undefined) => {
    if (!target) return;
    jumped.current = true;
    close();
    target.go();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Escape') close();
    else if (event.key === 'ArrowDown')
      setCursor((value) => Math.min(targets.length - 1, value + 1));
    else if (event.key === 'ArrowUp') setCursor((value) => Math.max(0, value - 1));
    else if (event.key === 'Enter') choose(targets[cursor]);
    else return;
    event.preventDefault();
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: the backdrop closes the dialog on click; Escape does the same from the keyboard
    // biome-ignore lint/a11y/useKeyWithClickEvents: Escape in the input closes it
    <div className="overlay" onClick={close}>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: stops the backdrop click only */}
      <div
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-label="Jump to a model or run"
        onClick={(event) => event.stopPropagation()}
      >
        <input
          className="dialog-input"
          // biome-ignore lint/a11y/noAutofocus: a command palette takes focus when it opens
          autoFocus
          placeholder="Jump to a model or run…"
          value={query}
          onChange={(event) => {
            setQuery(event.target.value);
            setCursor(0);
          }}
          onKeyDown={onKeyDown}
          aria-label="Model or run id"
          aria-controls="jump-list"
        />
        <ul className="jump-list" id="jump-list" aria-label="Matches">
          {targets.length === 0 && <li className="muted">Nothing matches “{query}”.</li>}
          {targets.map((target, index) => (
            <li key={target.key}>
              <button
                type="button"
                tabIndex={-1}
                aria-current={index === cursor}
                onMouseEnter={() => setCursor(index)}
                onClick={() => choose(target)}
              >
                <span>{target.label}</span>
                <span className="muted small">{target.detail}</span>
              </button>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
