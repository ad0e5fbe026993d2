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
  /** The in-app feed, newest first. */
  notifications: NotificationView[];
  /** Ids of the notifications the operator marked read (main keeps no read state). */
  readNotificationIds: Record<string, true>;
  notificationsOpen: boolean;
  quickJumpOpen: boolean;
  setTheme(theme: Theme): void;
  pushToast(toast: Omit<Toast, 'id'>): void;
  dismissToast(id: number): void;
  receiveNotification(notification: NotificationView): void;
  loadNotifications(): Promise<void>;
  markNotificationRead(id: string): void;
  markAllNotificationsRead(): void;
  setNotificationsOpen(open: boolean): void;
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

/** Where the read marks persist, so a reload does not bring back what was already read. */
export interface ReadMarksStorage {
  load(): string[];
  save(ids: string[]): void;
}

export const memoryReadMarks = (): ReadMarksStorage => {
  let ids: string[] = [];
  return {
    load: () => ids,
    save: (next) => {
      ids = next;
    },
  };
};

/** How many notifications of the feed are not marked read. */
export function unreadCount(state: Pick<UiSlice, 'notifications' | 'readNotificationIds'>): number {
  return state.notifications.filter((notification) => !state.readNotificationIds[notification.id])
    .length;
}

const newestFirst = (left: NotificationView, right: NotificationView) =>
  right.at.localeCompare(left.at);

export const createUiSlice =
  (storage: ThemeStorage, readMarks: ReadMarksStorage = memoryReadMarks()): SliceCreator<UiSlice> =>
  (set, get, bridge) => {
    let nextToastId = 1;
    const setRead = (readNotificationIds: Record<string, true>) => {
      set({ readNotificationIds });
      // Only marks of notifications still in the feed are kept: the feed is bounded, so are they.
      readMarks.save(
        get()
          .notifications.filter((notification) => readNotificationIds[notification.id])
          .map((notification) => notification.id),
      );
    };
    return {
      theme: storage.load() ?? (storage.systemPrefersDark() ? 'dark' : 'light'),
      toasts: [],
      notifications: [],
      readNotificationIds: Object.fromEntries(readMarks.load().map((id) => [id, true] as const)),
      notificationsOpen: false,
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
          const loaded = await bridge.call('notifications.list', { limit: 100 });
          // One pushed while the list was on its way is kept, not overwritten.
          const known = new Set(loaded.map((notification) => notification.id));
          const pushed = get().notifications.filter((notification) => !known.has(notification.id));
          set({
            notifications: [...pushed, ...loaded].sort(newestFirst).slice(0, MAX_NOTIFICATIONS),
          });
        } catch {
          // The feed is a convenience: the pages show their own errors.
        }
      },
      markNotificationRead(id) {
        if (get().readNotificationIds[id]) return;
        setRead({ ...get().readNotificationIds, [id]: true });
      },
      markAllNotificationsRead() {
        setRead(
          Object.fromEntries(get().notifications.map((notification) => [notification.id, true])),
        );
      },
      setNotificationsOpen(open) {
        set({ notificationsOpen: open });
      },
      setQuickJumpOpen(open) {
        set({ quickJumpOpen: open });
      },
    };
  };
