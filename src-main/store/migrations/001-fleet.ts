/** Providers, models and immutable model-config versions; workspace settings. */
export const sql = `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE providers (
  id TEXT PRIMARY KEY,
  spec TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE models (
  id TEXT PRIMARY KEY,
  provider_id TEXT NOT NULL REFERENCES providers(id),
  spec TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  current_config_version INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE config_versions (
  model_id TEXT NOT NULL REFERENCES models(id),
  version INTEGER NOT NULL CHECK (version >= 1),
  config TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (model_id, version)
) STRICT;

CREATE TRIGGER config_versions_immutable BEFORE UPDATE ON config_versions
BEGIN
  SELECT RAISE(ABORT, 'config versions are immutable: write a new version instead');
END;
`;
