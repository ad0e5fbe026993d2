/**
 * The prompt component and variant versions a run pinned when it was created, so a resumed run
 * composes with them and not with whatever is current. NULL for runs created before this.
 */
export const sql = `
ALTER TABLE runs ADD COLUMN prompt_versions TEXT;
`;
