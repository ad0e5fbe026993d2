/**
 * Engine state that must survive a crash: budget reservations still open (they count as spent
 * until settled) and per-model health (consecutive failed predictions, automatic disable).
 */
export const sql = `
CREATE TABLE budget_reservations (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL,
  model_id TEXT NOT NULL,
  day TEXT NOT NULL,
  amount_micros INTEGER NOT NULL CHECK (amount_micros >= 0),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX budget_reservations_day ON budget_reservations(day);

CREATE TABLE model_health (
  model_id TEXT PRIMARY KEY REFERENCES models(id),
  consecutive_failures INTEGER NOT NULL DEFAULT 0 CHECK (consecutive_failures >= 0),
  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
  disabled_reason TEXT,
  disabled_at TEXT,
  last_failure_class TEXT,
  updated_at TEXT NOT NULL
) STRICT;

-- The process running a run: a restart marks runs of dead processes interrupted, never a live one's.
ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
`;
