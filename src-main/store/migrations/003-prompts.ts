/**
 * Versioned prompt components (per task) and prompt variants (built-in and operator-defined).
 * A version is never changed or deleted: an edit is a new version, so every run can say exactly
 * which texts it sent.
 */
export const sql = `
CREATE TABLE prompt_component_versions (
  task_id TEXT NOT NULL,
  component TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  text TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  note TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (task_id, component, version)
) STRICT;
CREATE INDEX prompt_component_versions_hash ON prompt_component_versions(task_id, component, sha256);

CREATE TABLE prompt_variant_versions (
  name TEXT NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  text TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  builtin INTEGER NOT NULL CHECK (builtin IN (0, 1)),
  note TEXT NOT NULL,
  created_at TEXT NOT NULL,
  PRIMARY KEY (name, version)
) STRICT;

CREATE TRIGGER prompt_component_versions_immutable BEFORE UPDATE ON prompt_component_versions
BEGIN
  SELECT RAISE(ABORT, 'prompt component versions are immutable: write a new version instead');
END;
CREATE TRIGGER prompt_component_versions_kept BEFORE DELETE ON prompt_component_versions
BEGIN
  SELECT RAISE(ABORT, 'prompt component versions are never deleted');
END;
CREATE TRIGGER prompt_variant_versions_immutable BEFORE UPDATE ON prompt_variant_versions
BEGIN
  SELECT RAISE(ABORT, 'prompt variant versions are immutable: write a new version instead');
END;
CREATE TRIGGER prompt_variant_versions_kept BEFORE DELETE ON prompt_variant_versions
BEGIN
  SELECT RAISE(ABORT, 'prompt variant versions are never deleted');
END;
`;
