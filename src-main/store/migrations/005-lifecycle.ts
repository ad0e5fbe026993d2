/**
 * Model lifecycle: operator verdicts (active, inactive, unfixable with reason and re-test date),
 * their audit trail, the regression gates (which change a gate run tested, and the version to
 * roll back to), and an index for the per-model run facts every status is derived from.
 */
export const sql = `
CREATE TABLE model_verdicts (
  model_id TEXT PRIMARY KEY REFERENCES models(id),
  verdict TEXT NOT NULL CHECK (verdict IN ('active', 'inactive', 'unfixable')),
  reason TEXT,
  retest_at TEXT,
  set_at TEXT NOT NULL
) STRICT;

CREATE TABLE model_verdict_log (
  id INTEGER PRIMARY KEY,
  model_id TEXT NOT NULL REFERENCES models(id),
  verdict TEXT NOT NULL,
  reason TEXT,
  retest_at TEXT,
  at TEXT NOT NULL
) STRICT;
CREATE TRIGGER model_verdict_log_immutable BEFORE UPDATE ON model_verdict_log
BEGIN
  SELECT RAISE(ABORT, 'the verdict log is append-only');
END;

CREATE TABLE regression_gates (
  run_id TEXT PRIMARY KEY REFERENCES runs(id),
  change_kind TEXT NOT NULL CHECK (change_kind IN ('variant', 'component', 'model')),
  change_name TEXT NOT NULL,
  version INTEGER NOT NULL,
  previous_version INTEGER,
  plan TEXT NOT NULL,
  prompt_versions TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX regression_gates_change ON regression_gates(change_kind, change_name, version);

CREATE INDEX call_records_intended ON call_records(intended_model, run_id);
`;
