/**
 * Statements over a whole payroll (a million lines and more) sort and hash in memory: the session's
 * work_mem is raised for the current transaction only (SET LOCAL; it ends with the transaction).
 * Only memory changes, not what a statement does.
 */
export const BULK_STATEMENT_SETTINGS = `SET LOCAL work_mem = '256MB'`;
