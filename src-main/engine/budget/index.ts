export { type Admission, BudgetLedger, type LedgerStore, type Reservation } from './budget-ledger';
