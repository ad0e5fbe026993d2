import { afterEach } from 'vitest';
import { makeTempDir } from './temp-dir';

/**
 * Scratch for the tests of one file: the folders `dir()` makes and the steps `defer()` is given
 * (closing a database) are undone after every test, last first, so a database is closed before
 * its folder goes. Call it at the top of a test file.
 */
export function perTestScratch(prefix?: string): { dir(): string; defer(step: () => void): void } {
  const undo: (() => void)[] = [];
  afterEach(() => {
    while (undo.length > 0) undo.pop()?.();
  });
  return {
    dir() {
      const { dir, cleanup } = makeTempDir(prefix);
      undo.push(cleanup);
      return dir;
    },
    defer(step) {
      undo.push(step);
    },
  };
}
