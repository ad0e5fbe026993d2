import { randomUUID } from 'node:crypto';
import type { MicroUsd } from '../../../src-shared/money';

export interface LedgerStore {
  /** Settled spend (call records) since the start of `day` (UTC, YYYY-MM-DD). */
  spentSince(sinceIso: string): number;
  reservedOn(day: string): number;
  /** What a run already spent and still holds reserved (a resumed run continues from these). */
  runTotals(runId: string): { spent: MicroUsd; reserved: MicroUsd };
  /**
   * Persists a reservation; a promise settles once it is durable (it rejects if it could not be
   * written, and the caller must then not send the call).
   */
  addReservation(reservation: { id: string; runId: string; modelId: string; day: string; amountMicros: number; createdAt: string }): void | Promise<void>;
  removeReservation(id: string): void;
}

export interface Reservation {
  id: string;
  runId: string;
  amount: MicroUsd;
  day: string;
  /** Resolves once the reservation is durable; rejects if it could not be written. */
  persisted: Promise<void>;
}

export type Admission = { ok: true; reservation: Reservation } | { ok: false; reason: string };

interface RunAccount {
  cap: MicroUsd | null;
  spent: MicroUsd;
  reserved: MicroUsd;
}

/**
 * The hard budget, in integer micro-dollars. Before a call is sent its worst case is reserved;
 * afterwards the reservation is settled to the cost the provider's usage implies, or released if
 * nothing was spent. Admission is synchronous and never lets spent + reserved pass a cap, however
 * many calls race for it. Open reservations are persisted: after a crash they count as spent.
 */
export class BudgetLedger {
  private day = '';
  /** The current day's bounds (ms since the epoch, UTC), so most calls compare two numbers. */
  private dayStartMs = 0;
  private dayEndMs = 0;
  private daySpent = 0;
  private dayReserved = 0;
  private readonly runs = new Map<string, RunAccount>();

  constructor(
    private readonly store: LedgerStore,
    private dailyCap: MicroUsd,
    private readonly now: () => Date = () => new Date(),
  ) {}

  setDailyCap(cap: MicroUsd): void {
    this.dailyCap = cap;
  }

  /**
   * Starts accounting for a run against its cap. A resumed run starts from what it already spent
   * and from the reservations its crashed attempts left open (they count as spent until settled).
   */
  openRun(runId: string, cap: MicroUsd | null): void {
    const { spent, reserved } = this.store.runTotals(runId);
    this.runs.set(runId, { cap, spent, reserved });
  }

  closeRun(runId: string): void {
    this.runs.delete(runId);
  }

  /** Today's figures (UTC day): settled spend, open reservations and the cap. */
  snapshot(): { day: string; spent: MicroUsd; reserved: MicroUsd; cap: MicroUsd } {
    this.roll();
    return { day: this.day, spent: this.daySpent, reserved: this.dayReserved, cap: this.dailyCap };
  }

  runSpent(runId: string): MicroUsd {
    return this.runs.get(runId)?.spent ?? 0;
  }

  reserve(runId: string, modelId: string, amount: MicroUsd): Admission {
    this.roll();
    const run = this.runs.get(runId);
    if (this.daySpent + this.dayReserved + amount > this.dailyCap) {
      return {
        ok: false,
        reason: `daily budget: ${fmt(this.daySpent)} spent + ${fmt(this.dayReserved)} reserved + ${fmt(amount)} worst case would pass the ${fmt(this.dailyCap)} cap`,
      };
    }
    if (run && run.cap !== null && run.spent + run.reserved + amount > run.cap) {
      return {
        ok: false,
        reason: `run budget: ${fmt(run.spent)} spent + ${fmt(run.reserved)} reserved + ${fmt(amount)} worst case would pass the ${fmt(run.cap)} cap`,
      };
    }
    // Unique across processes: a resumed run's reservations sit beside those a crash left open.
    const id = `${runId}:${randomUUID()}`;
    const persisted = Promise.resolve(
      this.store.addReservation({ id, runId, modelId, day: this.day, amountMicros: amount, createdAt: this.now().toISOString() }),
    );
    // Whoever sends the call awaits `persisted`; a write nobody awaits must not crash the process.
    persisted.catch(() => undefined);
    const reservation: Reservation = { id, runId, amount, day: this.day, persisted };
    this.dayReserved += amount;
    if (run) run.reserved += amount;
    return { ok: true, reservation };
  }

  /** Replaces the reservation by what was actually spent: in the store, then in the ledger. */
  settle(reservation: Reservation, actual: MicroUsd): void {
    this.removeStored(reservation);
    this.account(reservation, actual);
  }

  /**
   * The stored half of `settle`: removes the reservation from the store. Run it in the transaction
   * that writes the call record carrying what was spent, so the store never holds both or neither.
   */
  removeStored(reservation: Reservation): void {
    this.store.removeReservation(reservation.id);
  }

  /**
   * The ledger's half of `settle`: counts `actual` as spent instead of the reservation. Run it once
   * the record and the removal are committed; until then the reservation still counts (the safe side).
   */
  account(reservation: Reservation, actual: MicroUsd): void {
    const run = this.runs.get(reservation.runId);
    if (reservation.day === this.day) {
      this.dayReserved -= reservation.amount;
      this.daySpent += actual;
    }
    if (run) {
      run.reserved -= reservation.amount;
      run.spent += actual;
    }
  }

  release(reservation: Reservation): void {
    this.settle(reservation, 0);
  }

  /** Drops a reservation that was never persisted (its write failed): nothing to remove. */
  abandon(reservation: Reservation): void {
    if (reservation.day === this.day) this.dayReserved -= reservation.amount;
    const run = this.runs.get(reservation.runId);
    if (run) run.reserved -= reservation.amount;
  }

  private roll(): void {
    const now = this.now();
    const time = now.getTime();
    if (time >= this.dayStartMs && time < this.dayEndMs) return;
    const day = now.toISOString().slice(0, 10);
    this.dayStartMs = Date.parse(`${day}T00:00:00.000Z`);
    this.dayEndMs = this.dayStartMs + 86_400_000;
    if (day === this.day) return;
    this.day = day;
    this.daySpent = this.store.spentSince(`${day}T00:00:00.000Z`);
    this.dayReserved = this.store.reservedOn(day);
  }
}

function fmt(micros: MicroUsd): string {
  return `$${(micros / 1_000_000).toFixed(6)}`;
}
