import { lazy, type ReactNode, Suspense, useEffect } from 'react';
import { InlineError } from './components/inline-error';
import { NotificationBell, NotificationFeed } from './components/notification-feed';
import { PageErrorBoundary } from './components/page-error-boundary';
import { QuickJump } from './components/quick-jump';
import { JUMP_KEY, useGlobalShortcuts } from './components/shortcuts';
import { Toasts } from './components/toasts';
import { FleetPage } from './pages/fleet-page';
import { type PageName, type Route, useRoute } from './routing';
import { type AppStore, StoreContext, useActions, useApp } from './state';

// Everything but the fleet loads on first visit, so the grid's first paint does not wait for
// CodeMirror or recharts.
const ModelPage = lazy(() => import('./pages/model-page'));
const PromptsPage = lazy(() => import('./pages/prompts-page'));
const ComparePage = lazy(() => import('./pages/compare-page'));
const BudgetPage = lazy(() => import('./pages/budget-page'));
const RunsPage = lazy(() => import('./pages/runs-page'));
const SettingsPage = lazy(() => import('./pages/settings-page'));

const NAV: { page: PageName; label: string; hash: string; key: string }[] = [
  { page: 'fleet', label: 'Fleet', hash: '#/fleet', key: 'g f' },
  { page: 'prompts', label: 'Prompts', hash: '#/prompts', key: 'g p' },
  { page: 'compare', label: 'Compare', hash: '#/compare', key: 'g c' },
  { page: 'budget', label: 'Budget', hash: '#/budget', key: 'g b' },
  { page: 'runs', label: 'Runs', hash: '#/runs', key: 'g r' },
  { page: 'settings', label: 'Settings', hash: '#/settings', key: 'g s' },
];

function PageFor({ route }: { route: Route }): ReactNode {
  switch (route.page) {
    case 'fleet':
      return <FleetPage filters={route.filters} />;
    case 'model':
      return <ModelPage key={route.modelId} modelId={route.modelId} />;
    case 'prompts':
      return <PromptsPage route={route} />;
    case 'compare':
      return <ComparePage runId={route.runId} />;
    case 'budget':
      return <BudgetPage days={route.days} volume={route.volume} />;
    case 'runs':
      return <RunsPage runId={route.runId} />;
    case 'settings':
      return <SettingsPage />;
  }
}

function RunningBadge() {
  const running = useApp(
    (state) => state.runIds.filter((id) => state.runsById[id]?.status === 'running').length,
  );
  if (running === 0) return null;
  return <span className="chip chip-running">{running}</span>;
}

function Shell({ route }: { route: Route }) {
  const theme = useApp((state) => state.theme);
  const coverageLabel = useApp((state) => state.coverage?.label ?? null);
  const { setTheme, setQuickJumpOpen } = useActions();
  const current = route.page === 'model' ? 'fleet' : route.page;
  return (
    <div className="shell">
      <nav className="nav" aria-label="Pages">
        <div className="brand">
          <span className="brand-mark" aria-hidden />
          Fleetdeck
          <span className="spacer" />
          <NotificationBell />
        </div>
        {NAV.map((item) => (
          <a
            key={item.page}
            href={item.hash}
            aria-current={current === item.page ? 'page' : undefined}
            title={`${item.label} (${item.key})`}
          >
            {item.label}
            {item.page === 'runs' && <RunningBadge />}
          </a>
        ))}
        <div className="spacer" />
        <div className="nav-foot">
          {coverageLabel && <div className="small muted">{coverageLabel}</div>}
          <button
            type="button"
            className="small"
            onClick={() => setQuickJumpOpen(true)}
            title={`Jump to a model or run (${JUMP_KEY})`}
          >
            Jump to… <kbd data-jump-key>{JUMP_KEY}</kbd>
          </button>
          <button
            type="button"
            className="small"
            data-action="toggle-theme"
            onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}
            title="Switch theme (t)"
          >
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
        </div>
      </nav>
      <NotificationFeed />
      <main className="main">
        <PageErrorBoundary page={route.page}>
          <Suspense fallback={<div className="page muted">Loading…</div>}>
            <PageFor route={route} />
          </Suspense>
        </PageErrorBoundary>
      </main>
    </div>
  );
}

function AppRoot({ store }: { store: AppStore }) {
  const route = useRoute();
  const fleetStatus = useApp((state) => state.fleetStatus);
  const fleetError = useApp((state) => state.fleetError);
  const theme = useApp((state) => state.theme);
  const { loadFleet, loadRuns, loadNotifications } = useActions();
  useGlobalShortcuts(store);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    void loadFleet();
    void loadRuns();
    void loadNotifications();
  }, [loadFleet, loadRuns, loadNotifications]);

  const appState =
    fleetStatus === 'ready' ? 'ready' : fleetStatus === 'error' ? 'error' : 'loading';
  return (
    <div
      id="app"
      data-app-state={appState}
      data-page={route.page}
      data-theme={theme}
      style={{ height: '100%' }}
    >
      {appState === 'ready' ? (
        <Shell route={route} />
      ) : appState === 'error' ? (
        <div className="page" style={{ maxWidth: 720, margin: '10vh auto' }}>
          <h1>Fleetdeck could not load the fleet</h1>
          <InlineError
            error={fleetError}
            title="Loading the fleet failed"
            onRetry={() => void loadFleet()}
          />
        </div>
      ) : (
        <div className="loading-screen">Loading the fleet…</div>
      )}
      <QuickJump />
      <Toasts />
    </div>
  );
}

export function App({ store }: { store: AppStore }) {
  return (
    <StoreContext.Provider value={store}>
      <AppRoot store={store} />
    </StoreContext.Provider>
  );
}
