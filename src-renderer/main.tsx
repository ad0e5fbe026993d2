import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectBridge } from './connect-bridge';
import { connectPushEvents, createAppStore, renderStats } from './state';
import type { ReadMarksStorage, Theme, ThemeStorage } from './state/ui-slice';
import './styles.css';

const THEME_KEY = 'fleetdeck.theme';
const READ_KEY = 'fleetdeck.notifications.read';

const themeStorage: ThemeStorage = {
  load() {
    const saved = window.localStorage.getItem(THEME_KEY);
    return saved === 'light' || saved === 'dark' ? (saved as Theme) : null;
  },
  save(theme) {
    window.localStorage.setItem(THEME_KEY, theme);
  },
  systemPrefersDark: () => window.matchMedia('(prefers-color-scheme: dark)').matches,
};

const readMarks: ReadMarksStorage = {
  load() {
    try {
      const saved: unknown = JSON.parse(window.localStorage.getItem(READ_KEY) ?? '[]');
      return Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string') : [];
    } catch {
      return [];
    }
  },
  save(ids) {
    window.localStorage.setItem(READ_KEY, JSON.stringify(ids));
  },
};

const bridge = connectBridge();
const store = createAppStore(bridge, themeStorage, readMarks);
document.documentElement.dataset.theme = store.getState().theme;
connectPushEvents(bridge, store.getState);
// The grid bench reads these counters; they cost nothing when nobody reads them.
(window as unknown as { __fleetdeckStats: typeof renderStats }).__fleetdeckStats = renderStats;

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
);
