import { randomUUID } from 'node:crypto';

/**
 * A random 20-hex-digit prefix for ids minted in bulk by one SQL statement: id = prefix + a 12-hex-digit
 * row number. The ids are unique (random prefix per statement) and ascending within the statement, so
 * a million rows append to the right edge of their b-tree indexes instead of splitting random pages.
 */
export function bulkIdPrefix(): string {
  return randomUUID().slice(0, 24); // 'xxxxxxxx-xxxx-4xxx-yxxx-'
}

/** SQL expression of the n-th id of a statement (`prefix` is a bind parameter of bulkIdPrefix()). */
export function bulkIdSql(prefixParam: string, rowNumberExpr: string): string {
  return `(${prefixParam}::text || lpad(to_hex(${rowNumberExpr}), 12, '0'))::uuid`;
}
