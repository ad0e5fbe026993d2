import { describe, expect, it } from 'vitest';
import { perTestScratch } from '../../test-support/scratch';
import { type Db, openDatabaseFile } from './database';
import { GroupCommitter } from './group-committer';

const scratch = perTestScratch('fleetdeck-commit-');

function open(): {
  db: Db;
  file: string;
  committer: GroupCommitter;
  insert: (value: number) => number;
  rows: () => number[];
} {
  const file = `${scratch.dir()}/commit.sqlite`;
  const db = openDatabaseFile(file);
  scratch.defer(() => db.close());
  db.exec('CREATE TABLE t (value INTEGER NOT NULL CHECK (value >= 0)) STRICT');
  const statement = db.prepare('INSERT INTO t (value) VALUES (?)');
  return {
    db,
    file,
    committer: new GroupCommitter(db),
    insert: (value) => Number(statement.run(value).lastInsertRowid),
    rows: () =>
      (db.prepare('SELECT value FROM t ORDER BY rowid').all() as { value: number }[]).map(
        (row) => row.value,
      ),
  };
}

describe('GroupCommitter', () => {
  it('commits the writes of one turn in one transaction and gives each caller its own result', async () => {
    const { db, committer, insert, rows } = open();
    const seen: boolean[] = [];
    const ids = await Promise.all(
      [1, 2, 3].map((value) =>
        committer.write(() => {
          seen.push(db.inTransaction);
          return insert(value);
        }),
      ),
    );
    expect(seen).toEqual([true, true, true]);
    expect(ids).toEqual([1, 2, 3]);
    expect(rows()).toEqual([1, 2, 3]);
  });

  it('fails only the write that threw: the rest of its batch is committed', async () => {
    const { committer, insert, rows } = open();
    const outcomes = await Promise.allSettled(
      [1, -1, 3].map((value) => committer.write(() => insert(value))),
    );
    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain(
      'CHECK constraint failed',
    );
    expect(rows()).toEqual([1, 3]);
  });

  it('a write stopped by a failed statement keeps what it wrote before that statement', async () => {
    const { committer, insert, rows } = open();
    // Why the engine writes a call record before settling its reservation: stopping halfway keeps the first.
    const outcome = committer.write(() => {
      insert(5);
      insert(-5);
    });
    await expect(outcome).rejects.toThrow('CHECK constraint failed');
    expect(rows()).toEqual([5]);
  });

  it('fails the whole batch, keeping nothing, when the failure ended the transaction', async () => {
    const { db, committer, insert, rows } = open();
    const outcomes = await Promise.allSettled([
      committer.write(() => insert(1)),
      committer.write(() => {
        // What SQLite does itself on a full disk or an I/O error: the transaction is gone.
        db.exec('ROLLBACK');
        throw new Error('disk I/O error');
      }),
      committer.write(() => insert(3)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(outcomes.map((outcome) => String((outcome as PromiseRejectedResult).reason))).toEqual([
      'Error: disk I/O error',
      'Error: disk I/O error',
      'Error: disk I/O error',
    ]);
    expect(rows()).toEqual([]);
    // The committer goes on working afterwards.
    await committer.write(() => insert(4));
    expect(rows()).toEqual([4]);
  });
  it('fails the whole batch with one error when another connection holds the write lock', async () => {
    const { db, file, committer, insert, rows } = open();
    db.pragma('busy_timeout = 50');
    const other = openDatabaseFile(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const outcomes = await Promise.allSettled(
        [1, 2, 3].map((value) => committer.write(() => insert(value))),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual([
        'rejected',
        'rejected',
        'rejected',
      ]);
      const reasons = outcomes.map(
        (outcome) => (outcome as PromiseRejectedResult).reason as { code?: string },
      );
      // One failure at BEGIN, shared by the batch: not one busy wait per write.
      expect(new Set(reasons).size).toBe(1);
      expect(reasons[0]?.code).toBe('SQLITE_BUSY');
      other.exec('ROLLBACK');
    } finally {
      other.close();
    }
    expect(rows()).toEqual([]);
    await committer.write(() => insert(4));
    expect(rows()).toEqual([4]);
  });

  it('fails the batch when a write swallowed the error that ended the transaction', async () => {
    const { db, committer, insert, rows } = open();
    const outcomes = await Promise.allSettled([
      committer.write(() => insert(1)),
      committer.write(() => {
        db.exec('ROLLBACK');
      }),
      committer.write(() => insert(3)),
    ]);
    expect(outcomes.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // Nothing ran outside the transaction: the third write was never applied on its own.
    expect(rows()).toEqual([]);
  });
});
