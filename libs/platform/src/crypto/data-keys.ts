import { randomBytes } from 'node:crypto';
import { FieldCipher, PiiCryptoError, PiiCryptoErrorCode, generateDataKey } from './field-cipher';
import type { KeyWrapper } from './key-wrapper';
import { rowsOf } from '../db/transaction-host';

/** Runs one SQL statement and returns its rows (adapt a pg Client, a TypeORM QueryRunner or EntityManager). */
export type SqlRows = (text: string, params?: unknown[]) => Promise<Record<string, any>[]>;

/** TypeORM's `query` (QueryRunner, EntityManager, DataSource) as SqlRows (UPDATE answers `[rows, count]`). */
export function typeormSql(q: { query(text: string, params?: unknown[]): Promise<any> }): SqlRows {
  return async (text, params) => {
    return rowsOf(await q.query(text, params));
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

/**
 * `deactivated_at`: when a data key stopped being the active one (retirement waits until every
 * replica has reloaded its keys since). Existing inactive keys get the creation time of the next key
 * (createDataKey deactivates the previous key in the transaction that inserts the next one), or now.
 */
export function piiDataKeyDeactivatedAtUp(schema: string): string[] {
  return [
    `ALTER TABLE ${schema}.pii_data_key ADD COLUMN deactivated_at timestamptz`,
    `UPDATE ${schema}.pii_data_key k SET deactivated_at = COALESCE((SELECT min(n.created_at) FROM ${schema}.pii_data_key n WHERE n.created_at > k.created_at), now()) WHERE NOT k.active`,
    `ALTER TABLE ${schema}.pii_data_key ADD CONSTRAINT pii_data_key_deactivated CHECK (active = (deactivated_at IS NULL))`,
  ];
}

export function piiDataKeyDeactivatedAtDown(schema: string): string[] {
  return [`ALTER TABLE ${schema}.pii_data_key DROP COLUMN deactivated_at`];
}

function newKeyId(): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `dk${stamp}${randomBytes(3).toString('hex')}`;
}

/** Creates a data key and makes it the active one (the previous ones stay readable). Run in a transaction. */
export async function createDataKey(sql: SqlRows, schema: string, wrapper: KeyWrapper): Promise<string> {
  const id = newKeyId();
  const { masterKeyId, wrapped } = await wrapper.wrap(generateDataKey(), id);
  await sql(`UPDATE ${schema}.pii_data_key SET active = false, deactivated_at = now() WHERE active`);
  await sql(`INSERT INTO ${schema}.pii_data_key (id, master_key_id, wrapped, active) VALUES ($1, $2, $3, true)`, [
    id,
    masterKeyId,
    wrapped,
  ]);
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
  const rows = await sql(`SELECT id, master_key_id, wrapped FROM ${schema}.pii_data_key WHERE master_key_id <> $1 ORDER BY created_at`, [
    wrapper.activeMasterKeyId,
  ]);
  for (const r of rows) {
    const key = await wrapper.unwrap(r.master_key_id, r.wrapped, r.id);
    const { masterKeyId, wrapped } = await wrapper.wrap(key, r.id);
    await sql(`UPDATE ${schema}.pii_data_key SET master_key_id = $2, wrapped = $3 WHERE id = $1`, [r.id, masterKeyId, wrapped]);
  }
  return rows.length;
}

export interface RetireOptions {
  /** A key retires only when it stopped being active at least this long ago (2 × the replicas' key refresh interval). */
  minInactiveMs: number;
  /**
   * The key ids stored values still name, counted inside the retiring transaction: it should lock the
   * tables it counts against writes (LOCK TABLE ... IN SHARE MODE) so that the count holds until commit.
   */
  keyIdsInUse: (sql: SqlRows) => Promise<Set<string>>;
}

export interface RetireResult {
  retired: string[];
  /** Inactive keys that stopped being active too recently, with the time from which they may retire. */
  tooRecent: { id: string; retireAfter: Date }[];
  /** Inactive keys that stored values still name. */
  inUse: string[];
}

/**
 * Deletes inactive data keys that no running replica can still encrypt with (inactive for at least
 * `minInactiveMs`) and no stored value names (re-counted under lock right before the delete). Run it
 * in a transaction: the key rows are locked FOR UPDATE until it commits.
 */
export async function retireDataKeys(sql: SqlRows, schema: string, o: RetireOptions): Promise<RetireResult> {
  const rows = await sql(
    `SELECT id, deactivated_at + make_interval(secs => $1::float8 / 1000) AS retire_after,
            deactivated_at + make_interval(secs => $1::float8 / 1000) <= now() AS old_enough
       FROM ${schema}.pii_data_key WHERE NOT active ORDER BY created_at, id FOR UPDATE`,
    [o.minInactiveMs],
  );
  const tooRecent = rows
    .filter((r) => r.old_enough !== true)
    .map((r) => ({ id: r.id as string, retireAfter: new Date(r.retire_after ?? Date.now() + o.minInactiveMs) }));
  const candidates = rows.filter((r) => r.old_enough === true).map((r) => r.id as string);
  if (candidates.length === 0) return { retired: [], tooRecent, inUse: [] };
  const used = await o.keyIdsInUse(sql);
  const inUse = candidates.filter((id) => used.has(id));
  const free = candidates.filter((id) => !used.has(id));
  const deleted = free.length
    ? await sql(`DELETE FROM ${schema}.pii_data_key WHERE NOT active AND id = ANY ($1::text[]) RETURNING id`, [free])
    : [];
  return { retired: deleted.map((r) => r.id as string), tooRecent, inUse };
}
