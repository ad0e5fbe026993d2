/**
 * Config versions are fix attempts: like prompt versions (migration 3) they can be neither
 * rewritten (migration 1) nor deleted, so a model's history and every record naming a version
 * stay true.
 */
export const sql = `
CREATE TRIGGER config_versions_kept BEFORE DELETE ON config_versions
BEGIN
  SELECT RAISE(ABORT, 'config versions are kept: roll back with a new version instead');
END;
`;
