import { describe, expect, it } from 'vitest';
import type { NotificationView } from '../../src-shared/ipc';
import type { BridgePort } from './bridge-port';
import { createAppStore } from './store';
import { memoryReadMarks, unreadCount } from './ui-slice';

const notification = (id: string, at: string, kind: NotificationView['kind'] = 'run-finished') => ({
  id,
  level: 'info' as const,
  kind,
  title: `title ${id}`,
  body: `body ${id}`,
  at,
});

/** A bridge that answers notifications.list with `listed`, once `release` is called. */
function listBridge(listed: NotificationView[]) {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const bridge: BridgePort = {
    call: (async (channel: string) => {
      if (channel !== 'notifications.list') throw new Error(`unexpected ${channel}`);
      await gate;
      return listed;
    }) as BridgePort['call'],
    subscribe: () => () => {},
  };
  return { bridge, release };
}

describe('the notification feed', () => {
  it('keeps a notification pushed while the list was loading, newest first', async () => {
    const fake = listBridge([notification('a', '2026-01-01T10:00:00Z')]);
    const store = createAppStore(fake.bridge);
    const loading = store.getState().loadNotifications();
    store.getState().receiveNotification(notification('b', '2026-01-01T10:05:00Z'));
    fake.release();
    await loading;
    expect(store.getState().notifications.map((entry) => entry.id)).toEqual(['b', 'a']);
  });

  it('counts unread entries; marking one or all read changes only the count', () => {
    const store = createAppStore(listBridge([]).bridge);
    const state = () => store.getState();
    state().receiveNotification(notification('a', '2026-01-01T10:00:00Z'));
    state().receiveNotification(notification('b', '2026-01-01T10:01:00Z', 'model-disabled'));
    state().receiveNotification(notification('c', '2026-01-01T10:02:00Z', 'budget-80'));
    expect(unreadCount(state())).toBe(3);
    state().markNotificationRead('b');
    expect(unreadCount(state())).toBe(2);
    expect(state().readNotificationIds).toEqual({ b: true });
    state().markAllNotificationsRead();
    expect(unreadCount(state())).toBe(0);
    expect(state().notifications.map((entry) => entry.id)).toEqual(['c', 'b', 'a']);
  });

  it('remembers read marks across a reload, keeping only those of entries still in the feed', async () => {
    const marks = memoryReadMarks();
    marks.save(['gone']);
    const listed = [
      notification('a', '2026-01-01T10:00:00Z'),
      notification('b', '2026-01-01T10:01:00Z'),
    ];
    const first = listBridge(listed);
    const store = createAppStore(first.bridge, undefined, marks);
    first.release();
    await store.getState().loadNotifications();
    store.getState().markNotificationRead('a');
    expect(marks.load()).toEqual(['a']);

    const second = listBridge(listed);
    const reloaded = createAppStore(second.bridge, undefined, marks);
    second.release();
    await reloaded.getState().loadNotifications();
    expect(unreadCount(reloaded.getState())).toBe(1);
    expect(reloaded.getState().readNotificationIds).toEqual({ a: true });
  });

  it('does not toast a finished run (the feed has it) but toasts the rest', () => {
    const store = createAppStore(listBridge([]).bridge);
    store.getState().receiveNotification(notification('a', '2026-01-01T10:00:00Z'));
    store.getState().receiveNotification(notification('b', '2026-01-01T10:01:00Z', 'regression'));
    expect(store.getState().toasts.map((toast) => toast.title)).toEqual(['title b']);
  });
});
