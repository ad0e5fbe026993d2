import type { NotificationView } from '../../src-shared/ipc';
import type { UiError } from './bridge-port';
import type { SliceCreator } from './slice';

export type Theme = 'light' | 'dark';

export interface Toast {
  id: number;
  level: 'info' | 'warning' | 'error' | 'success';
  title: string;
  body?: string;
  error?: UiError;
}

export interface UiSlice {
  theme: Theme;
  toasts: Toast[];
  notifications: NotificationView[];
  quickJumpOpen: boolean;
  setTheme(theme: Theme): void;
  pushToast(toast: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
  receiveNotification(notification: NotificationView): void;
  loadNotifications(): Promise<void>;
  setQuickJumpOpen(open: boolean): void;
}

const MAX_TOASTS = 4;
const MAX_NOTIFICATIONS = 200;

/** Where the theme persists; the first launch follows prefers-color-scheme. */
export interface ThemeStorage {
  load(): Theme | null;
  save(theme: Theme): void;
  systemPrefersDark(): boolean;
}

export const createUiSlice =
  (storage: ThemeStorage): SliceCreator<UiSlice> =>
  (set, get, bridge) => {
    let nextToastId = 1;
    return {
      theme: storage.load() ?? (storage.systemPrefersDark() ? 'dark' : 'light'),
      toasts: [],
      notifications: [],
      quickJumpOpen: false,
      setTheme(theme) {
        storage.save(theme);
        set({ theme });
      },
      pushToast(toast) {
        const id = nextToastId++;
        set({ toasts: [...get().toasts, { ...toast, id }].slice(-MAX_TOASTS) });
      },
      dismissToast(id) {
        set({ toasts: get().toasts.filter((toast) => toast.id !== id) });
      },
      receiveNotification(notification) {
        if (get().notifications.some((known) => known.id === notification.id)) return;
        set({ notifications: [notification, ...get().notifications].slice(0, MAX_NOTIFICATIONS) });
        if (notification.kind !== 'run-finished') {
          get().pushToast({
            level: notification.level,
            title: notification.title,
            body: notification.body,
          });
        }
      },
      async loadNotifications() {
        try {
          const notifications = await bridge.call('notifications.list', { limit: 100 });
          set({ notifications });
        } catch {
          // The feed is a convenience: the pages show their own errors.
        }
      },
      setQuickJumpOpen(open) {
        set({ quickJumpOpen: open });
      },
    };
  };
