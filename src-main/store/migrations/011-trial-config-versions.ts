/**
 * A config version stored to try a draft beside the current config (`trial = 1`) is never made
 * current: adopting it writes a new version, as a rollback does. Every version before this
 * migration was made current when it was written.
 */
export const sql = `
ALTER TABLE config_versions ADD COLUMN trial INTEGER NOT NULL DEFAULT 0 CHECK (trial IN (0, 1));
`;
