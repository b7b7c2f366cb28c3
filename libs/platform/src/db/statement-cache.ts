import { createHash } from 'node:crypto';
import { Client } from 'pg';

/** Distinct statements one connection keeps prepared at most; the ones after it run unnamed (parsed each time). */
export const PREPARED_PER_CONNECTION = 500;

/** A statement's name: a digest of its text, so that one text always has one name. */
export function statementName(text: string): string {
  return `s${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;
}

/** After a migration changed a table, a statement prepared before it may no longer fit (0A000): it then runs unnamed. */
const isStalePlan = (err: unknown) => (err as { code?: string }).code === '0A000' && /cached plan/.test((err as Error).message);

/**
 * A pg client that prepares each parameterised statement once per connection (a named statement,
 * by the digest of its text) and afterwards only binds and executes it: Postgres parses, analyses
 * and plans the text once instead of at every call. Statements without parameters (BEGIN, COMMIT,
 * SET, DDL) and statements beyond PREPARED_PER_CONNECTION distinct texts run as before. A statement
 * that a schema change made stale runs unnamed from then on. Used as the pool's `Client` (see PlatformModule).
 */
export class StatementCachingClient extends Client {
  private readonly prepared = new Set<string>();
  private readonly stale = new Set<string>();

  // pg's query has many overloads; this one passes everything through except a text with values.
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config !== 'string' || !Array.isArray(values) || values.length === 0 || typeof callback === 'function')
      return super.query(config, values, callback);
    const name = statementName(config);
    if (this.stale.has(name) || (!this.prepared.has(name) && this.prepared.size >= PREPARED_PER_CONNECTION))
      return super.query(config, values);
    this.prepared.add(name);
    return (super.query({ name, text: config, values }) as Promise<unknown>).catch((err: unknown) => {
      if (!isStalePlan(err)) throw err;
      this.stale.add(name);
      throw err;
    });
  }
}
