/**
 * Statements over a whole payroll (a million lines and more) sort and hash in memory: the session's
 * work_mem is raised for the current transaction only (SET LOCAL; it ends with the transaction).
 * Only memory changes, not what a statement does.
 */
export const BULK_STATEMENT_SETTINGS = `SET LOCAL work_mem = '256MB'`;

/** For the one statement that sorts a payroll's payments with their account columns (about 600 bytes each) by bank. */
export const BULK_SORT_SETTINGS = `SET LOCAL work_mem = '1GB'`;
