import { randomUUID } from 'node:crypto';
import type { NotificationView } from '../../src-shared/ipc';
import { microsToUsd } from '../../src-shared/money';
import type { NotificationFeedLike } from './types';

const FEED_SIZE = 500;

/**
 * The in-app feed: the newest notifications in memory (they describe this session's events;
 * history lives in runs and call records). Each push also goes to `onPush` (the push event and,
 * in Electron, the desktop notification).
 */
export class NotificationFeed implements NotificationFeedLike {
  private readonly items: NotificationView[] = [];
  private readonly listeners = new Set<(notification: NotificationView) => void>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  onPush(listener: (notification: NotificationView) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  push(notification: Omit<NotificationView, 'id' | 'at'>): NotificationView {
    const view: NotificationView = {
      ...notification,
      id: randomUUID(),
      at: this.now().toISOString(),
    };
    this.items.unshift(view);
    if (this.items.length > FEED_SIZE) this.items.length = FEED_SIZE;
    for (const listener of this.listeners) listener(view);
    return view;
  }

  list(limit: number): NotificationView[] {
    return this.items.slice(0, Math.max(0, limit));
  }
}

export interface LedgerSnapshot {
  day: string;
  spent: number;
  reserved: number;
  cap: number;
}

/**
 * Watches the day's spend against the daily budget and notifies once per day when it passes
 * 80% and once when it reaches 100% (spent, not reserved: a reservation is not money gone).
 */
export class BudgetWatch {
  private notified = new Map<string, Set<'budget-80' | 'budget-100'>>();

  constructor(
    private readonly snapshot: () => LedgerSnapshot,
    private readonly feed: NotificationFeedLike,
  ) {}

  check(): void {
    const { day, spent, cap } = this.snapshot();
    if (cap <= 0) return;
    let seen = this.notified.get(day);
    if (!seen) {
      seen = new Set();
      this.notified = new Map([[day, seen]]);
    }
    const budget = `$${microsToUsd(cap).toFixed(2)}`;
    const spentText = `$${microsToUsd(spent).toFixed(2)}`;
    if (spent >= cap && !seen.has('budget-100')) {
      seen.add('budget-100').add('budget-80');
      this.feed.push({
        level: 'error',
        kind: 'budget-100',
        title: 'Daily budget used up',
        body: `${spentText} of the ${budget} daily budget is spent (${day} UTC): calls are refused until tomorrow or a higher budget.`,
      });
    } else if (spent >= cap * 0.8 && !seen.has('budget-80')) {
      seen.add('budget-80');
      this.feed.push({
        level: 'warning',
        kind: 'budget-80',
        title: 'Daily budget 80% spent',
        body: `${spentText} of the ${budget} daily budget is spent (${day} UTC).`,
      });
    }
  }
}
