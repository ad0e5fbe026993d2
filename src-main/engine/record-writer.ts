import type { CallRecord } from '../../src-shared/domain';
import type { StoredModel } from '../store';
import { type AttemptDetails, buildCallRecord } from './call-record';
import type { EngineDeps } from './engine';
import { errorMessage } from './error-message';
import type { Redactor } from './redact';
import type { RunContext } from './types';
import type { Walk } from './walk';

/** How an attempt's budget reservation is settled along with its record. */
export interface Settlement {
  /** Removes the reservation from the store: run inside the record's transaction. */
  stored: () => void;
  /** Counts what was spent instead of the reservation: run once that transaction is committed. */
  account: () => void;
}

/** Writes each attempt's record as it ends, then logs it and reports it to the run. */
export class RecordWriter {
  /** A storage write that failed: the next flush (and every run's end) reports it. */
  writeFailure: unknown;

  constructor(
    private readonly deps: EngineDeps,
    private readonly redact: Redactor,
  ) {}

  record(
    context: RunContext,
    walk: Walk,
    model: StoredModel,
    attempt: number,
    details: AttemptDetails & {
      /** Settles the attempt's budget reservation along with the record. */
      settle?: Settlement | undefined;
    },
  ): CallRecord {
    const record = buildCallRecord(context.runId, walk, model, attempt, details, this.redact);
    const settle = details.settle;
    // Group commit: the record (and its settlement) lands with the writes of this event-loop
    // turn, often the next call's reservation, so a sequential run pays one commit per call.
    // The record first: if it cannot be written, the reservation stays open, in the store and in
    // the ledger alike, and counts as spent. If the record is written but the reservation cannot
    // be removed, both stay and the call counts twice until the day rolls over (the safe side).
    this.deps.store
      .write(() => {
        const id = this.deps.store.addRecord(record);
        let unsettled: unknown;
        try {
          settle?.stored();
        } catch (error) {
          unsettled = error;
        }
        return { id, unsettled };
      })
      .then(
        ({ id, unsettled }) => {
          record.id = id;
          if (unsettled === undefined) settle?.account();
          else
            this.logProblem(
              'reservation-not-settled',
              'call record saved; its budget reservation could not be removed and still counts as spent',
              context,
              record,
              unsettled,
            );
          // Every field of the record, as stored (excerpts and parsed value already redacted).
          if (this.deps.logCall) this.deps.logCall(record);
          else this.deps.logger?.info({ event: 'call', ...record }, 'call attempt');
          context.onEvent?.({ type: 'attempt', runId: context.runId, record });
        },
        (error: unknown) => {
          this.writeFailure ??= error;
          this.logProblem('record-failed', 'call record not saved', context, record, error);
        },
      );
    return record;
  }

  private logProblem(
    event: string,
    message: string,
    context: RunContext,
    record: CallRecord,
    error: unknown,
  ): void {
    this.deps.logger?.error(
      {
        event,
        runId: context.runId,
        itemKey: record.itemKey,
        attempt: record.attempt,
        error: this.redact(errorMessage(error)),
      },
      message,
    );
  }
}
