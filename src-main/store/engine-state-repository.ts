import type { Db } from './database';

export interface ModelHealth {
  modelId: string;
  consecutiveFailures: number;
  disabled: boolean;
  disabledReason: string | null;
  disabledAt: string | null;
  lastFailureClass: string | null;
}

/** Budget reservations and per-model health, persisted so a crash loses neither. */
export class EngineStateRepository {
  // Prepared once: these run on every call of the engine's hot path.
  private readonly insertReservation;
  private readonly deleteReservation;
  private readonly selectHealth;
  private readonly deleteReservations;

  constructor(private readonly db: Db) {
    this.insertReservation = db.prepare(
      'INSERT INTO budget_reservations (id, run_id, model_id, day, amount_micros, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.deleteReservation = db.prepare('DELETE FROM budget_reservations WHERE id = ?');
    this.selectHealth = db.prepare('SELECT * FROM model_health WHERE model_id = ?');
    this.deleteReservations = db.prepare('DELETE FROM budget_reservations WHERE id IN (SELECT value FROM json_each(?))');
  }

  addReservation(reservation: { id: string; runId: string; modelId: string; day: string; amountMicros: number; createdAt: string }): void {
    this.insertReservation.run(reservation.id, reservation.runId, reservation.modelId, reservation.day, reservation.amountMicros, reservation.createdAt);
  }

  removeReservation(id: string): void {
    this.deleteReservation.run(id);
  }

  /** Removes several reservations in one statement. */
  removeReservations(ids: readonly string[]): void {
    this.deleteReservations.run(JSON.stringify(ids));
  }

  /** Reservations left open (by calls in flight, or by a crash: those count as spent). */
  reservedOn(day: string): number {
    const row = this.db.prepare('SELECT COALESCE(SUM(amount_micros), 0) AS total FROM budget_reservations WHERE day = ?').get(day) as { total: number };
    return row.total;
  }

  /** A run's open reservations (a resumed run's crashed attempts left these). */
  reservedByRun(runId: string): number {
    const row = this.db.prepare('SELECT COALESCE(SUM(amount_micros), 0) AS total FROM budget_reservations WHERE run_id = ?').get(runId) as { total: number };
    return row.total;
  }

  health(modelId: string): ModelHealth {
    const row = this.selectHealth.get(modelId) as
      | { model_id: string; consecutive_failures: number; disabled: number; disabled_reason: string | null; disabled_at: string | null; last_failure_class: string | null }
      | undefined;
    if (!row) {
      return { modelId, consecutiveFailures: 0, disabled: false, disabledReason: null, disabledAt: null, lastFailureClass: null };
    }
    return {
      modelId,
      consecutiveFailures: row.consecutive_failures,
      disabled: row.disabled === 1,
      disabledReason: row.disabled_reason,
      disabledAt: row.disabled_at,
      lastFailureClass: row.last_failure_class,
    };
  }

  allHealth(): ModelHealth[] {
    const ids = this.db.prepare('SELECT model_id FROM model_health ORDER BY model_id').all() as { model_id: string }[];
    return ids.map((row) => this.health(row.model_id));
  }

  /**
   * Counts one failed prediction. The counter never passes `threshold`; the model is disabled
   * (with `reason`) by the failure that reaches it, exactly once. One synchronous transaction, so
   * concurrent calls in this process cannot both disable or overshoot.
   */
  recordFailure(modelId: string, errorClass: string, threshold: number, at: string, reason: (count: number) => string): { count: number; disabledNow: boolean } {
    this.knownClean.delete(modelId);
    return this.db.transaction(() => {
      const before = this.health(modelId);
      const count = Math.min(threshold, before.consecutiveFailures + 1);
      const disabledNow = !before.disabled && count >= threshold;
      this.db
        .prepare(
          `INSERT INTO model_health (model_id, consecutive_failures, disabled, disabled_reason, disabled_at, last_failure_class, updated_at)
           VALUES (@id, @count, @disabled, @reason, @disabledAt, @errorClass, @at)
           ON CONFLICT(model_id) DO UPDATE SET consecutive_failures = @count, disabled = @disabled,
             disabled_reason = @reason, disabled_at = @disabledAt, last_failure_class = @errorClass, updated_at = @at`,
        )
        .run({
          id: modelId,
          count,
          disabled: before.disabled || disabledNow ? 1 : 0,
          reason: disabledNow ? reason(count) : before.disabledReason,
          disabledAt: disabledNow ? at : before.disabledAt,
          errorClass,
          at,
        });
      return { count, disabledNow };
    })();
  }

  /**
   * Models this process knows to have no failures counted, so the engine's hot path skips the
   * read on every success. Any failure or state change recorded here forgets the model again.
   */
  private readonly knownClean = new Set<string>();

  /** A clean prediction resets the counter (and, for a recovery probe, re-enables the model). */
  recordSuccess(modelId: string, at: string, reenable: boolean): { reenabled: boolean } {
    if (!reenable && this.knownClean.has(modelId)) return { reenabled: false };
    const before = this.health(modelId);
    const reenabled = reenable && before.disabled;
    if (before.consecutiveFailures === 0 && !reenabled) {
      if (!before.disabled) this.knownClean.add(modelId);
      return { reenabled: false };
    }
    this.db
      .prepare(
        `INSERT INTO model_health (model_id, consecutive_failures, disabled, updated_at) VALUES (?, 0, 0, ?)
         ON CONFLICT(model_id) DO UPDATE SET consecutive_failures = 0,
           disabled = CASE WHEN ? THEN 0 ELSE disabled END,
           disabled_reason = CASE WHEN ? THEN NULL ELSE disabled_reason END,
           disabled_at = CASE WHEN ? THEN NULL ELSE disabled_at END,
           updated_at = excluded.updated_at`,
      )
      .run(modelId, at, reenabled ? 1 : 0, reenabled ? 1 : 0, reenabled ? 1 : 0);
    return { reenabled };
  }

  setDisabled(modelId: string, disabled: boolean, reason: string | null, at: string): void {
    this.knownClean.delete(modelId);
    this.db
      .prepare(
        `INSERT INTO model_health (model_id, consecutive_failures, disabled, disabled_reason, disabled_at, updated_at)
         VALUES (?, 0, ?, ?, ?, ?)
         ON CONFLICT(model_id) DO UPDATE SET disabled = excluded.disabled, disabled_reason = excluded.disabled_reason,
           disabled_at = excluded.disabled_at, consecutive_failures = CASE WHEN excluded.disabled = 0 THEN 0 ELSE consecutive_failures END,
           updated_at = excluded.updated_at`,
      )
      .run(modelId, disabled ? 1 : 0, disabled ? reason : null, disabled ? at : null, at);
  }
}
