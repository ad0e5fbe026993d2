import type { Transaction } from 'better-sqlite3';
import type { Db } from './database';

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes queued during one event-loop turn are committed together in one
 * transaction at the end of that turn (setImmediate), and each caller learns when its write is
 * durable. Under concurrency one commit serves many calls; nothing awaits inside a transaction.
 *
 * A write that throws fails alone: SQLite undoes the failed statement and the others in the batch
 * still commit. So each write must be one statement, or order its statements so that stopping
 * after any of them leaves the store consistent. If the failure ended the transaction itself (a
 * full disk, an I/O error), the write lock cannot be had (another process holds it past the busy
 * timeout) or the commit fails, nothing in the batch was kept and every caller gets the error.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly commitAll: Transaction<(writes: Pending[]) => Outcome[]>;

  constructor(db: Db) {
    this.commitAll = db.transaction((writes: Pending[]) =>
      writes.map((pending): Outcome => {
        let outcome: Outcome;
        try {
          outcome = { ok: true, value: pending.work() };
        } catch (error) {
          outcome = { ok: false, error };
        }
        // SQLite rolled the whole transaction back (whether or not the write let that be seen):
        // the batch fails as one, before any later write could run outside a transaction.
        if (!db.inTransaction) throw outcome.ok ? new Error('the write ended the transaction') : outcome.error;
        return outcome;
      }),
    );
  }

  write<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      this.schedule();
    });
  }

  /** Resolves when everything queued so far is committed (at once when nothing is queued). */
  flush(): Promise<void> {
    if (this.queue.length === 0) return Promise.resolve();
    return this.write(() => undefined);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      const writes = this.queue;
      this.queue = [];
      let outcomes: Outcome[];
      try {
        // IMMEDIATE: the write lock is taken once, at BEGIN. A database another process keeps
        // locked then fails the batch after one busy wait, not each of its writes after its own.
        outcomes = this.commitAll.immediate(writes);
      } catch (error) {
        for (const pending of writes) pending.reject(error);
        return;
      }
      for (const [index, pending] of writes.entries()) {
        const outcome = outcomes[index]!;
        if (outcome.ok) pending.resolve(outcome.value);
        else pending.reject(outcome.error);
      }
    });
  }
}
