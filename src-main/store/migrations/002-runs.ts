/** Runs and one row per call attempt (the call record), money in integer micro-dollars. */
export const sql = `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  task TEXT NOT NULL,
  status TEXT NOT NULL,
  plan TEXT NOT NULL,
  pinned_versions TEXT NOT NULL,
  budget_micros INTEGER,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  summary TEXT
) STRICT;
CREATE INDEX runs_started ON runs(started_at);

CREATE TABLE call_records (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL REFERENCES runs(id),
  item_key TEXT NOT NULL,
  fixture_id TEXT NOT NULL,
  intended_model TEXT NOT NULL,
  actual_model TEXT NOT NULL,
  fallback_depth INTEGER NOT NULL,
  fallback_reason TEXT,
  attempt INTEGER NOT NULL,
  config_version INTEGER NOT NULL,
  prompt_variant TEXT NOT NULL,
  timeout_ms INTEGER NOT NULL,
  started_at TEXT NOT NULL,
  ttft_ms REAL,
  latency_ms REAL NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('success', 'failure')),
  final INTEGER NOT NULL CHECK (final IN (0, 1)),
  error_class TEXT,
  error_message TEXT,
  http_status INTEGER,
  prompt_tokens INTEGER,
  completion_tokens INTEGER,
  reasoning_tokens INTEGER,
  cost_micros INTEGER,
  reply_length INTEGER NOT NULL,
  reply_excerpt TEXT NOT NULL,
  reasoning_excerpt TEXT,
  parsed_value TEXT,
  coercions TEXT NOT NULL
) STRICT;
CREATE INDEX call_records_run ON call_records(run_id, item_key);
CREATE INDEX call_records_model ON call_records(actual_model, started_at);
CREATE INDEX call_records_started ON call_records(started_at);
`;
