// The Electron main process: a thin shell around the same handler table `fleetdeck serve` uses.
import fs from 'node:fs';
import path from 'node:path';
import {
  app,
  BrowserWindow,
  dialog,
  type IpcMainInvokeEvent,
  ipcMain,
  Notification,
  safeStorage,
  screen,
  session,
  shell,
} from 'electron';
import {
  CHANNEL_NAMES,
  ELECTRON_CALL_PREFIX,
  ELECTRON_EVENT_PREFIX,
} from '../../src-shared/ipc/names';
import { resolveDataDir } from '../cli/context';
import { type ConsoleSession, createConsoleSession } from '../ipc/console-session';
import { dispatch } from '../ipc/dispatch';
import { ensureFleet } from '../ipc/first-launch';
import { handlerTable } from '../ipc/handler-table';
import { type EngineHost, openEngineHost } from '../services/engine-host';
import { DEFAULT_PROBE_INTERVAL_MS } from '../services/recovery-probe';
import type { Workspace } from '../services/workspace';
import { FleetRepository, openDatabase } from '../store';
import { Keychain } from './keychain';
import { isAllowedExternal, isTrustedFrame } from './trusted-sender';
import { loadWindowState, restoreBounds, saveWindowState } from './window-state';

/** The console's policy; index.html carries the same one as a meta tag for file:// loads. */
const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const RENDERER_FILE = path.join(__dirname, '..', 'renderer', 'index.html');
const PRELOAD_FILE = path.join(__dirname, '..', 'preload', 'index.js');
// electron-vite sets this in `dev` only; a packaged app always loads its own file.
const DEV_URL = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

/**
 * better-sqlite3 built for Electron's ABI by scripts/electron-sqlite.mjs (node_modules keeps the
 * Node build `npm test` uses). Packaged, it sits outside the asar archive (asarUnpack).
 */
function nativeBindingPath(): string {
  const file = path.join(__dirname, '..', 'native', 'electron', 'better_sqlite3.node');
  return file.replace(`app.asar${path.sep}`, `app.asar.unpacked${path.sep}`);
}

function dataDirFromArgs(): string {
  const flag = process.argv
    .find((argument) => argument.startsWith('--data-dir='))
    ?.slice('--data-dir='.length);
  return resolveDataDir(flag, process.env);
}

function openDesktopWorkspace(dataDir: string): Workspace {
  const binding = nativeBindingPath();
  if (!fs.existsSync(binding)) {
    throw new Error(
      `the Electron build of better-sqlite3 is missing (${binding}): run "node scripts/electron-sqlite.mjs" (needs internet for Electron's headers)`,
    );
  }
  const db = openDatabase(dataDir, { nativeBinding: binding });
  return { dataDir, db, fleet: new FleetRepository(db), close: () => db.close() };
}

let mainWindow: BrowserWindow | undefined;
let consoleSession: ConsoleSession | undefined;
let host: EngineHost | undefined;
let workspace: Workspace | undefined;
let stopProbes: (() => void) | undefined;

function hardenSession(): void {
  const defaultSession = session.defaultSession;
  defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  defaultSession.setPermissionCheckHandler(() => false);
  defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  return isTrustedFrame(event.senderFrame, mainWindow?.webContents.mainFrame, {
    rendererFile: RENDERER_FILE,
    devUrl: DEV_URL,
  });
}

function registerHandlers(session: ConsoleSession): void {
  for (const channel of CHANNEL_NAMES) {
    ipcMain.handle(`${ELECTRON_CALL_PREFIX}${channel}`, (event, input: unknown) =>
      dispatch(
        handlerTable,
        channel,
        input,
        session.deps,
        { url: event.senderFrame?.url, trusted: () => isTrustedSender(event) },
        {
          onInternalError: (failed, error) =>
            host?.logger.error({ channel: failed, err: error }, 'handler failed'),
        },
      ),
    );
  }
}

function createWindow(dataDir: string): BrowserWindow {
  const saved = loadWindowState(dataDir);
  const bounds = restoreBounds(
    saved,
    screen.getAllDisplays().map((display) => display.workArea),
    screen.getPrimaryDisplay().workArea,
  );
  const window = new BrowserWindow({
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: bounds.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Fleetdeck',
    webPreferences: {
      preload: PRELOAD_FILE,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      webviewTag: false,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (bounds.maximized) window.maximize();
    window.show();
  });
  // No navigation away from the console; allow-listed https links open in the browser instead.
  window.webContents.on('will-navigate', (event, url) => {
    event.preventDefault();
    if (isAllowedExternal(url)) void shell.openExternal(url);
  });
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.on('close', () => {
    saveWindowState(dataDir, { ...window.getNormalBounds(), maximized: window.isMaximized() });
  });
  if (DEV_URL) void window.loadURL(DEV_URL);
  else void window.loadFile(RENDERER_FILE);
  return window;
}

async function start(): Promise<void> {
  const dataDir = dataDirFromArgs();
  hardenSession();
  workspace = openDesktopWorkspace(dataDir);
  ensureFleet(workspace, 'first launch: built-in simulated fleet');
  const keys = await Keychain.open(safeStorage, dataDir, (message) =>
    console.warn(`fleetdeck: ${message}`),
  );
  host = await openEngineHost(workspace, { keyFor: (providerId) => keys.current(providerId) });
  consoleSession = createConsoleSession({
    host,
    keys,
    send: (events) => {
      const contents = mainWindow?.webContents;
      if (!contents || contents.isDestroyed()) return;
      for (const item of events)
        contents.send(`${ELECTRON_EVENT_PREFIX}${item.event}`, item.payload);
    },
    onNotification: (notification) => {
      if (Notification.isSupported())
        new Notification({
          title: notification.title,
          body: notification.body,
          silent: notification.level === 'info',
        }).show();
    },
  });
  registerHandlers(consoleSession);
  stopProbes = consoleSession.scheduleProbes(DEFAULT_PROBE_INTERVAL_MS);
  mainWindow = createWindow(dataDir);
  mainWindow.on('closed', () => {
    mainWindow = undefined;
  });
}

let quitting = false;
async function shutdown(): Promise<void> {
  stopProbes?.();
  await consoleSession?.close();
  await host?.close();
  workspace?.close();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    void shutdown().finally(() => app.quit());
  });
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      console.error(`fleetdeck: ${message}`);
      dialog.showErrorBox('Fleetdeck could not start', message);
      app.exit(1);
    });
  process.on('unhandledRejection', (error) =>
    console.error('fleetdeck: unhandled rejection', error),
  );
}
