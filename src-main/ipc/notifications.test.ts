import { describe, expect, it } from 'vitest';
import { BudgetWatch, type LedgerSnapshot, NotificationFeed } from './notifications';

describe('budget watch', () => {
  it('notifies once at 80% and once at 100% of the daily budget, again on a new day', () => {
    const feed = new NotificationFeed(() => new Date('2026-03-01T12:00:00Z'));
    let snapshot: LedgerSnapshot = { day: '2026-03-01', spent: 0, reserved: 0, cap: 5_000_000 };
    const watch = new BudgetWatch(() => snapshot, feed);
    const kinds = () => feed.list(10).map((notification) => notification.kind);
    watch.check();
    snapshot = { ...snapshot, spent: 3_900_000, reserved: 1_000_000 };
    watch.check();
    expect(kinds()).toEqual([]);
    snapshot = { ...snapshot, spent: 4_000_000 };
    watch.check();
    watch.check();
    expect(kinds()).toEqual(['budget-80']);
    expect(feed.list(1)[0]).toMatchObject({ level: 'warning', body: '$4.00 of the $5.00 daily budget is spent (2026-03-01 UTC).' });
    snapshot = { ...snapshot, spent: 5_000_000 };
    watch.check();
    watch.check();
    expect(kinds()).toEqual(['budget-100', 'budget-80']);
    snapshot = { day: '2026-03-02', spent: 5_100_000, reserved: 0, cap: 5_000_000 };
    watch.check();
    expect(kinds()).toEqual(['budget-100', 'budget-100', 'budget-80']);
  });

  it('keeps the newest notifications first, pushing each to its listeners', () => {
    const feed = new NotificationFeed();
    const heard: string[] = [];
    feed.onPush((notification) => heard.push(notification.title));
    feed.push({ level: 'info', kind: 'run-finished', title: 'first', body: '' });
    feed.push({ level: 'info', kind: 'run-finished', title: 'second', body: '' });
    expect(feed.list(1).map((notification) => notification.title)).toEqual(['second']);
    expect(heard).toEqual(['first', 'second']);
  });
});
