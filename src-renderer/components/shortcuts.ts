import { useEffect } from 'react';
import { navigate, type Route } from '../routing';
import type { AppStore } from '../state';

/** Every shortcut, as Settings lists them and tooltips show them. None clash with the OS. */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'Ctrl/⌘ K', what: 'Jump to a model or run' },
  {
    keys: 'g f · g p · g c · g b · g r · g s',
    what: 'Go to Fleet, Prompts, Compare, Budget, Runs, Settings',
  },
  { keys: '/', what: 'Search the fleet' },
  { keys: '↑ ↓ or j k', what: 'Move between rows (after Tab into the grid)' },
  { keys: 'Enter', what: 'Open the active row' },
  { keys: 'x or Space', what: 'Select the active row' },
  { keys: 'c', what: 'Canary the selection, or the active row' },
  { keys: 'Esc', what: 'Close a dialog, clear the selection' },
  { keys: 'n', what: 'Open or close the notifications' },
  { keys: 't', what: 'Switch light / dark theme' },
];

/** The jump key as this platform writes it: ⌘K on a Mac, Ctrl+K elsewhere. */
export const JUMP_KEY =
  typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent)
    ? '⌘K'
    : 'Ctrl+K';

const GO_TO: Record<string, Route> = {
  f: {
    page: 'fleet',
    filters: {
      provider: null,
      family: null,
      statuses: [],
      query: '',
      sort: 'status',
      direction: 'asc',
    },
  },
  p: { page: 'prompts', kind: null, name: null, modelId: null },
  c: { page: 'compare', runId: null },
  b: { page: 'budget', days: 14, volume: 1000 },
  r: { page: 'runs', runId: null },
  s: { page: 'settings' },
};

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Global keys: Cmd/Ctrl+K, "g then a letter" navigation, t for the theme, n for the notifications, Esc. */
export function useGlobalShortcuts(store: AppStore): void {
  useEffect(() => {
    let pendingG = 0;
    const onKeyDown = (event: KeyboardEvent) => {
      const state = store.getState();
      if ((event.metaKey || event.ctrlKey) && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        state.setQuickJumpOpen(!state.quickJumpOpen);
        return;
      }
      if (event.key === 'Escape') {
        if (state.quickJumpOpen) state.setQuickJumpOpen(false);
        else if (state.notificationsOpen) state.setNotificationsOpen(false);
        else if (!isTyping(event.target)) state.clearSelected();
        return;
      }
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      if (event.key === 'g') {
        pendingG = Date.now() + 1200;
        return;
      }
      if (event.key === 't') state.setTheme(state.theme === 'dark' ? 'light' : 'dark');
      if (event.key === 'n') state.setNotificationsOpen(!state.notificationsOpen);
      if (event.key === '/') {
        const search = document.querySelector<HTMLInputElement>('[data-fleet-search]');
        if (search) {
          event.preventDefault();
          search.focus();
        }
      }
    };
    // The key after "g" belongs to the chord, whatever it is: taken in the capture phase, before
    // the page under focus sees it (the grid would otherwise run a canary on the "c" of "g c").
    const onChordKey = (event: KeyboardEvent) => {
      if (pendingG <= Date.now() || event.key === 'g') return;
      if (event.metaKey || event.ctrlKey || event.altKey || isTyping(event.target)) return;
      if (['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) return;
      pendingG = 0;
      // Esc still does what it always does (closes a dialog); it only cancels the chord.
      if (event.key === 'Escape') return;
      event.preventDefault();
      event.stopPropagation();
      const route = GO_TO[event.key];
      if (route) navigate(route);
    };
    window.addEventListener('keydown', onChordKey, { capture: true });
    window.addEventListener('keydown', onKeyDown);
    return () => {
      window.removeEventListener('keydown', onChordKey, { capture: true });
      window.removeEventListener('keydown', onKeyDown);
    };
  }, [store]);
}
