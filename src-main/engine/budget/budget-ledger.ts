import type { MicroUsd } from '../../../src-shared/money';

export interface LedgerStore {
  /** Settled spend (call records) since the start of `day` (UTC, YYYY-MM-DD). */
  spentSince(sinceIso: string): number;
  reservedOn(day: string): number;
  addReservation(reservation: { id: string; runId: string; modelId: string; day: string; amountMicros: number; createdAt: string }): void;
  removeReservation(id: string): void;
}

export interface Reservation {
  id: string;
  runId: string;
  amount: MicroUsd;
  day: string;
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
  private daySpent = 0;
  private dayReserved = 0;
  private readonly runs = new Map<string, RunAccount>();
  private sequence = 0;

  constructor(
    private readonly store: LedgerStore,
    private dailyCap: MicroUsd,
    private readonly now: () => Date = () => new Date(),
  ) {}

  setDailyCap(cap: MicroUsd): void {
    this.dailyCap = cap;
  }

  openRun(runId: string, cap: MicroUsd | null): void {
    this.runs.set(runId, { cap, spent: 0, reserved: 0 });
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
    const reservation: Reservation = { id: `${runId}:${++this.sequence}`, runId, amount, day: this.day };
    this.store.addReservation({ id: reservation.id, runId, modelId, day: this.day, amountMicros: amount, createdAt: this.now().toISOString() });
    this.dayReserved += amount;
    if (run) run.reserved += amount;
    return { ok: true, reservation };
  }

  /**
   * Replaces the reservation by what was actually spent. Call it in the same synchronous turn as
   * writing the call record that carries `actual`, so the two never disagree.
   */
  settle(reservation: Reservation, actual: MicroUsd): void {
    this.store.removeReservation(reservation.id);
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

  private roll(): void {
    const day = this.now().toISOString().slice(0, 10);
    if (day === this.day) return;
    this.day = day;
    this.daySpent = this.store.spentSince(`${day}T00:00:00.000Z`);
    this.dayReserved = this.store.reservedOn(day);
  }
}

function fmt(micros: MicroUsd): string {
  return `$${(micros / 1_000_000).toFixed(6)}`;
}
