import type { Db } from './database';

interface Pending {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit: writes queued during one event-loop turn are committed together in one
 * transaction at the end of that turn (setImmediate), and each caller learns when its write is
 * durable. Under concurrency one commit serves many calls; nothing awaits inside a transaction.
 * If the transaction fails, every write in it is rolled back and every caller gets the error.
 */
export class GroupCommitter {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly commitAll: (writes: Pending[]) => unknown[];

  constructor(db: Db) {
    this.commitAll = db.transaction((writes: Pending[]) => writes.map((pending) => pending.work()));
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
      let results: unknown[];
      try {
        results = this.commitAll(writes);
      } catch (error) {
        for (const pending of writes) pending.reject(error);
        return;
      }
      for (const [index, pending] of writes.entries()) pending.resolve(results[index]);
    });
  }
}
