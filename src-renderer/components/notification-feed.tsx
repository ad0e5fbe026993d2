import { type KeyboardEvent, useEffect, useId, useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { NotificationView } from '../../src-shared/ipc';
import { formatUtc, formatWhen } from '../format';
import { useActions, useApp } from '../state';
import { unreadCount } from '../state/ui-slice';

const LEVEL_WORDS: Record<NotificationView['level'], string> = {
  info: 'Info',
  warning: 'Warning',
  error: 'Error',
};

function BellIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true" focusable="false">
      <path
        d="M8 1.5a4.5 4.5 0 0 0-4.5 4.5v2.6L2.2 11h11.6l-1.3-2.4V6A4.5 4.5 0 0 0 8 1.5ZM6.2 12.5a1.9 1.9 0 0 0 3.6 0"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.4"
        strokeLinejoin="round"
      />
    </svg>
  );
}

/** The nav's bell: how many notifications are unread; opens the feed (n). */
export function NotificationBell() {
  const unread = useApp(unreadCount);
  const open = useApp((state) => state.notificationsOpen);
  const { setNotificationsOpen } = useActions();
  const label = unread === 0 ? 'Notifications' : `Notifications: ${unread} unread`;
  return (
    <button
      type="button"
      className="bell"
      data-action="open-notifications"
      data-unread={unread}
      aria-label={label}
      aria-expanded={open}
      aria-controls="notification-feed"
      aria-haspopup="dialog"
      title={`${label} (n)`}
      onClick={() => setNotificationsOpen(!open)}
    >
      <BellIcon />
      {unread > 0 && (
        <span className="badge" aria-hidden="true">
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </button>
  );
}

function Entry({ notification, read }: { notification: NotificationView; read: boolean }) {
  const { markNotificationRead } = useActions();
  return (
    <li
      className={`feed-entry ${notification.level}${read ? '' : ' unread'}`}
      data-notification-id={notification.id}
      data-notification-kind={notification.kind}
      data-notification-read={read}
    >
      <div className="row feed-meta">
        <span className={`level ${notification.level}`}>{LEVEL_WORDS[notification.level]}</span>
        <time dateTime={notification.at} title={formatUtc(notification.at)} className="muted">
          {formatWhen(notification.at)}
        </time>
        <span className="grow" style={{ flex: 1 }} />
        {read ? (
          <span className="small muted">read</span>
        ) : (
          <button
            type="button"
            className="small"
            data-action="mark-read"
            onClick={() => markNotificationRead(notification.id)}
            aria-label={`Mark read: ${notification.title}`}
          >
            Mark read
          </button>
        )}
      </div>
      <strong className="feed-title">{notification.title}</strong>
      {notification.body && <div className="small">{notification.body}</div>}
    </li>
  );
}

/**
 * The in-app feed of what main reported (models auto-disabled, regressions found, runs finished,
 * spend past 80% and 100% of the daily budget), newest first. Opens beside the nav; Esc or the
 * close button closes it and returns to the bell.
 */
export function NotificationFeed() {
  const open = useApp((state) => state.notificationsOpen);
  const notifications = useApp(useShallow((state) => state.notifications));
  const readIds = useApp((state) => state.readNotificationIds);
  const unread = useApp(unreadCount);
  const { setNotificationsOpen, markAllNotificationsRead } = useActions();
  const panel = useRef<HTMLElement>(null);
  const titleId = useId();

  const close = () => {
    setNotificationsOpen(false);
    document.querySelector<HTMLButtonElement>('[data-action="open-notifications"]')?.focus();
  };

  useEffect(() => {
    if (!open) return;
    panel.current?.focus();
    // A click anywhere else closes the feed (the bell toggles it itself).
    const onPointerDown = (event: PointerEvent) => {
      const target = event.target as Node | null;
      if (panel.current?.contains(target)) return;
      if ((target as Element | null)?.closest?.('[data-action="open-notifications"]')) return;
      setNotificationsOpen(false);
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, setNotificationsOpen]);

  if (!open) return null;
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation();
    close();
  };
  return (
    <section
      ref={panel}
      id="notification-feed"
      className="feed"
      role="dialog"
      aria-labelledby={titleId}
      tabIndex={-1}
      onKeyDown={onKeyDown}
      data-notifications={notifications.length}
    >
      <div className="row feed-head">
        <h2 id={titleId} style={{ margin: 0 }}>
          Notifications
        </h2>
        <span className="small muted">{unread === 0 ? 'all read' : `${unread} unread`}</span>
        <span className="grow" style={{ flex: 1 }} />
        <button
          type="button"
          className="small"
          data-action="mark-all-read"
          disabled={unread === 0}
          onClick={markAllNotificationsRead}
        >
          Mark all read
        </button>
        <button type="button" className="small" aria-label="Close notifications" onClick={close}>
          ×
        </button>
      </div>
      {notifications.length === 0 ? (
        <div className="muted small feed-empty" data-empty="notifications">
          Nothing yet. You are told here when a run finishes, a model is auto-disabled, the
          regression gate finds a regression, or the day's spend passes 80% or 100% of the budget.
        </div>
      ) : (
        <ol className="feed-list" aria-label="Newest first">
          {notifications.map((notification) => (
            <Entry
              key={notification.id}
              notification={notification}
              read={readIds[notification.id] === true}
            />
          ))}
        </ol>
      )}
      <div className="small muted feed-foot">
        What happened since Fleetdeck started; hover a time for its UTC date and time.
      </div>
    </section>
  );
}
