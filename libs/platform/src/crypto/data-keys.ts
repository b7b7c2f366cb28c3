import { randomBytes } from 'node:crypto';
import { FieldCipher, PiiCryptoError, PiiCryptoErrorCode, generateDataKey } from './field-cipher';
import type { KeyWrapper } from './key-wrapper';

/** Runs one SQL statement and returns its rows (adapt a pg Client, a TypeORM QueryRunner or EntityManager). */
export type SqlRows = (text: string, params?: unknown[]) => Promise<Record<string, any>[]>;

/** TypeORM's `query` (QueryRunner, EntityManager, DataSource) as SqlRows (UPDATE answers `[rows, count]`). */
export function typeormSql(q: { query(text: string, params?: unknown[]): Promise<any> }): SqlRows {
  return async (text, params) => {
    const r = await q.query(text, params);
    return Array.isArray(r) && r.length === 2 && Array.isArray(r[0]) && typeof r[1] === 'number' ? r[0] : r;
  };
}

/**
 * The service's data keys, each wrapped by a master key: `<schema>.pii_data_key`. Exactly one is
 * active (new values); the others stay until no value names them.
 */
export function piiDataKeyTableUp(schema: string): string[] {
  return [
    `CREATE TABLE ${schema}.pii_data_key (
       id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_.-]{1,64}$'),
       master_key_id text NOT NULL,
       wrapped text NOT NULL,
       active boolean NOT NULL DEFAULT false,
       created_at timestamptz NOT NULL DEFAULT now()
     )`,
    `CREATE UNIQUE INDEX pii_data_key_active_uq ON ${schema}.pii_data_key (active) WHERE active`,
  ];
}

export function piiDataKeyTableDown(schema: string): string[] {
  return [`DROP TABLE ${schema}.pii_data_key`];
}

function newKeyId(): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `dk${stamp}${randomBytes(3).toString('hex')}`;
}

/** Creates a data key and makes it the active one (the previous ones stay readable). Run in a transaction. */
export async function createDataKey(sql: SqlRows, schema: string, wrapper: KeyWrapper): Promise<string> {
  const id = newKeyId();
  const { masterKeyId, wrapped } = await wrapper.wrap(generateDataKey(), id);
  await sql(`UPDATE ${schema}.pii_data_key SET active = false WHERE active`);
  await sql(`INSERT INTO ${schema}.pii_data_key (id, master_key_id, wrapped, active) VALUES ($1, $2, $3, true)`, [id, masterKeyId, wrapped]);
  return id;
}

/** The active data key, created when there is none yet. */
export async function ensureActiveDataKey(sql: SqlRows, schema: string, wrapper: KeyWrapper): Promise<string> {
  const [row] = await sql(`SELECT id FROM ${schema}.pii_data_key WHERE active`);
  if (row) return row.id;
  const id = newKeyId();
  const { masterKeyId, wrapped } = await wrapper.wrap(generateDataKey(), id);
  const [inserted] = await sql(
    `INSERT INTO ${schema}.pii_data_key (id, master_key_id, wrapped, active) VALUES ($1, $2, $3, true) ON CONFLICT (active) WHERE active DO NOTHING RETURNING id`,
    [id, masterKeyId, wrapped],
  );
  if (inserted) return inserted.id;
  const [winner] = await sql(`SELECT id FROM ${schema}.pii_data_key WHERE active`);
  return winner!.id;
}

/** Unwraps every data key of the schema into a cipher (the active one encrypts). */
export async function loadFieldCipher(sql: SqlRows, schema: string, wrapper: KeyWrapper, hmacKey: Buffer): Promise<FieldCipher> {
  const rows = await sql(`SELECT id, master_key_id, wrapped, active FROM ${schema}.pii_data_key ORDER BY created_at, id`);
  const active = rows.find((r) => r.active);
  if (!active) throw new PiiCryptoError(PiiCryptoErrorCode.KEY_UNKNOWN, `${schema} has no active data key (run the migrations)`);
  const dataKeys = new Map<string, Buffer>();
  for (const r of rows) dataKeys.set(r.id, await wrapper.unwrap(r.master_key_id, r.wrapped, r.id));
  return new FieldCipher({ dataKeys, activeKeyId: active.id, hmacKey });
}

/** Re-wraps data keys wrapped by an older master key with the active one (master key rotation); returns how many. */
export async function rewrapDataKeys(sql: SqlRows, schema: string, wrapper: KeyWrapper): Promise<number> {
  const rows = await sql(`SELECT id, master_key_id, wrapped FROM ${schema}.pii_data_key WHERE master_key_id <> $1 ORDER BY created_at`, [wrapper.activeMasterKeyId]);
  for (const r of rows) {
    const key = await wrapper.unwrap(r.master_key_id, r.wrapped, r.id);
    const { masterKeyId, wrapped } = await wrapper.wrap(key, r.id);
    await sql(`UPDATE ${schema}.pii_data_key SET master_key_id = $2, wrapped = $3 WHERE id = $1`, [r.id, masterKeyId, wrapped]);
  }
  return rows.length;
}

/** Deletes data keys that are neither active nor in `stillUsed` (call only after a complete re-encryption pass). */
export async function retireDataKeys(sql: SqlRows, schema: string, stillUsed: string[]): Promise<string[]> {
  const rows = await sql(`DELETE FROM ${schema}.pii_data_key WHERE NOT active AND NOT (id = ANY ($1::text[])) RETURNING id`, [stillUsed]);
  return rows.map((r) => r.id);
}
