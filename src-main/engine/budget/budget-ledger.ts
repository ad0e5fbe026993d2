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
  /**
   * Removes reservations no call will use, queued behind the writes that added them (so none is
   * removed before it is stored). Until that is committed they still count after a crash.
   */
  discardReservations(ids: readonly string[]): void | Promise<void>;
}

export interface Reservation {
  id: string;
  runId: string;
  modelId: string;
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
  /** At most this many prepared reservations at once (the run's concurrency); 0: none. */
  prepareAhead: number;
  prepared: number;
  /** Per model: reservations made ahead of its next calls, and how many of its calls hold one now. */
  models: Map<string, ModelAccount>;
}

interface ModelAccount {
  ready: Reservation[];
  inFlight: number;
  /** The largest worst case this run reserved for the model: what a prepared reservation holds. */
  amount: MicroUsd;
}

/**
 * The hard budget, in integer micro-dollars. Before a call is sent its worst case is reserved;
 * afterwards the reservation is settled to the cost the provider's usage implies, or released if
 * nothing was spent. Admission is synchronous and never lets spent + reserved pass a cap, however
 * many calls race for it. Open reservations are persisted: after a crash they count as spent.
 *
 * Prepared reservations: a run opened with `prepareAhead` gets, for each call of a model it
 * reserves, one more reservation for that model's next call, admitted and persisted like any other
 * (it is committed with the writes of that turn, usually long before the call it is for). That call
 * then takes it and is sent at once, instead of waiting for its own reservation's commit. A run
 * holds at most `prepareAhead` of them; they are made only while the caps leave room, are given
 * back whenever a call would otherwise be refused, and are removed when the run closes. One left
 * by a crash counts as spent until the day rolls over, as the reservation of a call in flight does.
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
  openRun(runId: string, cap: MicroUsd | null, options: { prepareAhead?: number } = {}): void {
    // Opened again in this process (a resume after a failure): the old account's prepared
    // reservations are given back first, or nothing would ever remove them.
    const open = this.runs.get(runId);
    if (open) this.returnPrepared([open], 'once-removed');
    const { spent, reserved } = this.store.runTotals(runId);
    this.runs.set(runId, { cap, spent, reserved, prepareAhead: Math.max(0, options.prepareAhead ?? 0), prepared: 0, models: new Map() });
  }

  /** Ends a run's accounting; the reservations prepared for calls it never made are removed. */
  closeRun(runId: string): void {
    const run = this.runs.get(runId);
    if (run) this.returnPrepared([run], 'once-removed');
    this.runs.delete(runId);
  }

  /** Today's figures (UTC day): settled spend, open reservations (`prepared`: how much of them is held ahead for runs' next calls) and the cap. */
  snapshot(): { day: string; spent: MicroUsd; reserved: MicroUsd; prepared: MicroUsd; cap: MicroUsd } {
    this.roll();
    let prepared = 0;
    for (const run of this.runs.values()) {
      for (const account of run.models.values()) {
        for (const ready of account.ready) if (ready.day === this.day) prepared += ready.amount;
      }
    }
    return { day: this.day, spent: this.daySpent, reserved: this.dayReserved, prepared, cap: this.dailyCap };
  }

  /** Today's spend and what calls in flight hold: the prepared reservations left out (a call is never refused for them). */
  spendToday(): { spent: MicroUsd; reserved: MicroUsd } {
    const { spent, reserved, prepared } = this.snapshot();
    return { spent, reserved: reserved - prepared };
  }

  runSpent(runId: string): MicroUsd {
    return this.runs.get(runId)?.spent ?? 0;
  }

  reserve(runId: string, modelId: string, amount: MicroUsd): Admission {
    this.roll();
    const run = this.runs.get(runId);
    const account = run && run.prepareAhead > 0 ? modelAccount(run, modelId) : undefined;
    // A cap lowered since it was prepared (the totals count it already) admits it no longer.
    if (run && account && this.refusal(run, 0) === undefined) {
      const ready = this.takePrepared(run, account, amount);
      if (ready) {
        account.inFlight++;
        this.inFlight.set(ready, account);
        this.prepare(run, account, runId, modelId);
        return { ok: true, reservation: ready };
      }
    }
    // Prepared reservations are only budget held ahead: a call is never refused for them. Every
    // run's count against the daily cap; only the run's own against its cap.
    if (this.daySpent + this.dayReserved + amount > this.dailyCap) this.returnPrepared([...this.runs.values()], 'now');
    if (run && !this.fits(run, amount)) this.returnPrepared([run], 'now');
    const refusal = this.refusal(run, amount);
    if (refusal) return { ok: false, reason: refusal };
    const reservation = this.persist(runId, modelId, amount);
    if (run && account) {
      account.amount = Math.max(account.amount, amount);
      account.inFlight++;
      this.inFlight.set(reservation, account);
      this.prepare(run, account, runId, modelId);
    }
    return { ok: true, reservation };
  }

  /** Reservations counted in their model's `inFlight` (that account), until settled or abandoned. */
  private readonly inFlight = new WeakMap<Reservation, ModelAccount>();

  private fits(run: RunAccount | undefined, amount: MicroUsd): boolean {
    return this.refusal(run, amount) === undefined;
  }

  private refusal(run: RunAccount | undefined, amount: MicroUsd): string | undefined {
    if (this.daySpent + this.dayReserved + amount > this.dailyCap) {
      return `daily budget: ${fmt(this.daySpent)} spent + ${fmt(this.dayReserved)} reserved + ${fmt(amount)} worst case would pass the ${fmt(this.dailyCap)} cap`;
    }
    if (run && run.cap !== null && run.spent + run.reserved + amount > run.cap) {
      return `run budget: ${fmt(run.spent)} spent + ${fmt(run.reserved)} reserved + ${fmt(amount)} worst case would pass the ${fmt(run.cap)} cap`;
    }
    return undefined;
  }

  /** A new reservation, counted at once and queued for the store. */
  private persist(runId: string, modelId: string, amount: MicroUsd): Reservation {
    // Unique across processes: a resumed run's reservations sit beside those a crash left open.
    const id = `${runId}:${randomUUID()}`;
    const persisted = Promise.resolve(
      this.store.addReservation({ id, runId, modelId, day: this.day, amountMicros: amount, createdAt: this.now().toISOString() }),
    );
    // Whoever sends the call awaits `persisted`; a write nobody awaits must not crash the process.
    persisted.catch(() => undefined);
    const reservation: Reservation = { id, runId, modelId, amount, day: this.day, persisted };
    this.dayReserved += amount;
    const run = this.runs.get(runId);
    if (run) run.reserved += amount;
    return reservation;
  }

  /** A prepared reservation of today that holds at least `amount`, taken out of the run's stock. */
  private takePrepared(run: RunAccount, account: ModelAccount, amount: MicroUsd): Reservation | undefined {
    const at = account.ready.findIndex((ready) => ready.amount >= amount);
    if (at === -1) return undefined;
    const [ready] = account.ready.splice(at, 1);
    run.prepared--;
    return ready;
  }

  /** Tops the model's prepared reservations up to one per call of it in flight, while the caps allow. */
  private prepare(run: RunAccount, account: ModelAccount, runId: string, modelId: string): void {
    while (account.ready.length < account.inFlight && run.prepared < run.prepareAhead && this.fits(run, account.amount)) {
      const ready = this.persist(runId, modelId, account.amount);
      account.ready.push(ready);
      run.prepared++;
      // Not written: it was never usable, so it stops counting (a call that took it meanwhile
      // awaits the same failure and abandons it itself).
      ready.persisted.catch(() => {
        const at = account.ready.indexOf(ready);
        if (at === -1) return;
        account.ready.splice(at, 1);
        run.prepared--;
        this.abandon(ready);
      });
    }
  }

  /**
   * Gives back the prepared reservations of `runs`, removed from the store with the next commit.
   * They stop counting once that removal is committed, or at once (`now`: a call is waiting for the
   * room). A removal that fails leaves them stored, where they count as spent until the day rolls
   * over: in the ledger too, unless they were given back `now` (then only after a restart; no
   * call takes them, so nothing is spent against them either way).
   */
  private returnPrepared(runs: readonly RunAccount[], uncount: 'now' | 'once-removed'): void {
    const returned: Reservation[] = [];
    for (const run of runs) {
      for (const account of run.models.values()) {
        returned.push(...account.ready);
        account.ready = [];
      }
      run.prepared = 0;
    }
    if (returned.length === 0) return;
    const uncountAll = (): void => {
      for (const reservation of returned) this.uncount(reservation);
    };
    if (uncount === 'now') uncountAll();
    Promise.resolve(this.store.discardReservations(returned.map((reservation) => reservation.id))).then(
      uncount === 'now' ? undefined : uncountAll,
      () => undefined,
    );
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
    this.ended(reservation);
  }

  release(reservation: Reservation): void {
    this.settle(reservation, 0);
  }

  /** Drops a reservation that was never persisted (its write failed): nothing to remove. */
  abandon(reservation: Reservation): void {
    this.uncount(reservation);
    this.ended(reservation);
  }

  private uncount(reservation: Reservation): void {
    if (reservation.day === this.day) this.dayReserved -= reservation.amount;
    const run = this.runs.get(reservation.runId);
    if (run) run.reserved -= reservation.amount;
  }

  /** A call's reservation ended: its model has one call fewer in flight. */
  private ended(reservation: Reservation): void {
    const account = this.inFlight.get(reservation);
    if (!account) return;
    this.inFlight.delete(reservation);
    account.inFlight--;
  }

  private roll(): void {
    const now = this.now();
    const time = now.getTime();
    if (time >= this.dayStartMs && time < this.dayEndMs) return;
    const day = now.toISOString().slice(0, 10);
    this.dayStartMs = Date.parse(`${day}T00:00:00.000Z`);
    this.dayEndMs = this.dayStartMs + 86_400_000;
    if (day === this.day) return;
    // Prepared on the day that ends: admitted against its cap, so never used on the new one.
    this.returnPrepared([...this.runs.values()], 'once-removed');
    this.day = day;
    this.daySpent = this.store.spentSince(`${day}T00:00:00.000Z`);
    this.dayReserved = this.store.reservedOn(day);
  }
}

function modelAccount(run: RunAccount, modelId: string): ModelAccount {
  let account = run.models.get(modelId);
  if (!account) {
    account = { ready: [], inFlight: 0, amount: 0 };
    run.models.set(modelId, account);
  }
  return account;
}

function fmt(micros: MicroUsd): string {
  return `$${(micros / 1_000_000).toFixed(6)}`;
}
