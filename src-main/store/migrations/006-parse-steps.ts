/** What each parse step did on an attempt's reply (the console's call detail shows it). */
export const sql = `
ALTER TABLE call_records ADD COLUMN parse_steps TEXT NOT NULL DEFAULT '[]';
`;
