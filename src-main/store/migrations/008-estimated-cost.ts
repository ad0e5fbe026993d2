/**
 * The worst case the budget settled for an attempt the provider billed without reporting usage
 * (a stream cut before its usage chunk). Its cost stays unknown (cost_micros NULL); this keeps the
 * amount the ledger counted as spent, so a restart counts it again. NULL for every other attempt.
 */
export const sql = `
ALTER TABLE call_records ADD COLUMN estimated_cost_micros INTEGER CHECK (estimated_cost_micros IS NULL OR estimated_cost_micros >= 0);
`;
