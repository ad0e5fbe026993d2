import fs from 'node:fs';
import { FILE_SYSTEM_REASONS } from '../../src-shared/errors';
import { writeFileAtomic } from '../services/fleet-files';
import { UsageError } from './context';

/** File-system refusals that mean the operator gave a path that cannot be written: exit 2, not a stack trace. */
const WRITE_REFUSALS: Readonly<Record<string, string>> = {
  ...FILE_SYSTEM_REASONS,
  EISDIR: 'it is a directory (give a file name)',
  ENOENT: 'the file cannot be created there',
};

/**
 * Refuses an output path that is an existing directory, or that cannot be reached. Commands that
 * run first and write after (`canary --junit FILE`) call it before the run, so a typo does not
 * throw the run's report away.
 */
export function checkOutputFile(file: string): void {
  const isDirectory = refusingUnwritable(file, () => fs.statSync(file, { throwIfNoEntry: false })?.isDirectory());
  if (isDirectory) throw new UsageError(`cannot write ${file}: ${WRITE_REFUSALS.EISDIR}`);
}

/** Runs `write` (which writes `file`), turning a path that cannot be written into a usage error. */
export function writingOutputFile<T>(file: string, write: () => T): T {
  checkOutputFile(file);
  return refusingUnwritable(file, write);
}

/** Writes an output file atomically (see writingOutputFile for the errors it reports). */
export function writeOutputFile(file: string, content: string): void {
  writingOutputFile(file, () => writeFileAtomic(file, content));
}

function refusingUnwritable<T>(file: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    const reason = WRITE_REFUSALS[(error as NodeJS.ErrnoException | undefined)?.code ?? ''];
    if (reason !== undefined) throw new UsageError(`cannot write ${file}: ${reason}`);
    throw error;
  }
}
