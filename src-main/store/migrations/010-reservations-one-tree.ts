/**
 * Budget reservations in one B-tree: the table holds only open reservations (a few per call in
 * flight, plus any a crash left), and every call inserts one and deletes it again. Keyed by its id
 * WITHOUT ROWID and with no day index, a reservation touches one page instead of three (table,
 * primary-key index, day index), so each group commit writes two pages fewer to the WAL. The day
 * and run totals read it by a scan, which at this size is one page.
 */
export const sql = `
CREATE TABLE budget_reservations_new (
  id TEXT PRIMARY KEY,
  run_id TEXT NOT NULL,
  model_id TEXT NOT NULL,
  day TEXT NOT NULL,
  amount_micros INTEGER NOT NULL CHECK (amount_micros >= 0),
  created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;
INSERT INTO budget_reservations_new (id, run_id, model_id, day, amount_micros, created_at)
  SELECT id, run_id, model_id, day, amount_micros, created_at FROM budget_reservations;
DROP TABLE budget_reservations;
ALTER TABLE budget_reservations_new RENAME TO budget_reservations;
`;
