import 'reflect-metadata';
import { createDataKey, loadFieldCipher, migrationDataSource, retireDataKeys, rewrapDataKeys, serviceConfig, typeormSql, type FieldCipher, type SqlRows } from '@eisss/platform';
import type { DataSource } from 'typeorm';
import { PII_TABLES, TREASURY_SCHEMA as S, treasuryKeyWrapper } from './pii/treasury-pii';
import { definition } from './service.definition';

/**
 * `node services/payments-treasury/dist/rotate-keys.js [--resume] [--retire] [--batch N]`
 *
 * 1. re-wraps every data key of payments_treasury.pii_data_key under the first master key of
 *    PII_MASTER_KEYS (master key rotation);
 * 2. creates a new active data key (not with --resume: then it continues towards the current one);
 * 3. re-encrypts, in batches of N rows (one transaction each), every IBAN, payee РНОКПП and document
 *    number of `assignment` and `payment` under another key. Old keys stay readable throughout, and the
 *    running service picks up the new key (PII_KEY_REFRESH_MS, or at once on meeting it);
 * 4. reports how many keys values still name besides the active one (rows written by a replica that
 *    had not picked up the new key yet: run again with --resume).
 *
 * `--resume --retire` then deletes the old data keys, but only a key that stopped being active more
 * than 2 × PII_KEY_REFRESH_MS ago and that no stored value names (counted again under lock in the
 * deleting transaction). `--retire` without `--resume` is refused (exit 2). Exit 3: values under older
 * keys remain; exit 4: a key could not retire yet.
 */
export interface RotateOptions {
  resume: boolean;
  retire: boolean;
  batch: number;
  log: (line: string) => void;
}

export interface RotateResult {
  activeKeyId: string;
  rewrapped: number;
  reencrypted: Record<string, number>;
  remaining: number;
  retired: string[];
  notRetired: string[];
}

export class RetireRefused extends Error {}

const FIELD_OF = (column: string) => column.replace(/_enc$/, '');
const stale = (columns: readonly string[], param: string) => columns.map((c) => `(${c} IS NOT NULL AND split_part(${c}, ':', 2) <> ${param})`).join(' OR ');

/** Re-encrypts the rows of one table with a value under another key than the active one (keyset batches, one transaction each). */
async function reencryptTable(ds: DataSource, cipher: FieldCipher, t: (typeof PII_TABLES)[number], batch: number, log: (l: string) => void): Promise<number> {
  let last = '00000000-0000-0000-0000-000000000000';
  let changed = 0;
  for (;;) {
    const n = await ds.transaction(async (tx) => {
      const rows: Record<string, any>[] = await tx.query(
        `SELECT ${t.key} AS k, ${t.columns.join(', ')} FROM ${S}.${t.table} WHERE ${t.key} > $1 AND (${stale(t.columns, '$2')}) ORDER BY ${t.key} LIMIT ${batch} FOR UPDATE`,
        [last, cipher.activeKeyId],
      );
      if (rows.length === 0) return 0;
      const values = t.columns.map((c) => rows.map((r) => cipher.reencrypt(r[c] as string | null, FIELD_OF(c))));
      await tx.query(
        `UPDATE ${S}.${t.table} x SET ${t.columns.map((c) => `${c} = v.${c}`).join(', ')}
         FROM unnest($1::uuid[], ${t.columns.map((_, i) => `$${i + 2}::text[]`).join(', ')}) AS v(k, ${t.columns.join(', ')})
         WHERE x.${t.key} = v.k`,
        [rows.map((r) => r.k), ...values],
      );
      last = rows[rows.length - 1]!.k;
      return rows.length;
    });
    if (n === 0) break;
    changed += n;
    log(`${t.table}: ${changed} rows re-encrypted`);
  }
  if (changed === 0) log(`${t.table}: 0 rows re-encrypted`);
  return changed;
}

/** Key ids still named by any stored value; with `lock`, the tables are locked against writes until the transaction ends. */
export async function keyIdsInUse(sql: SqlRows, lock = false): Promise<Set<string>> {
  if (lock) await sql(`LOCK TABLE ${PII_TABLES.map((t) => `${S}.${t.table}`).join(', ')} IN SHARE MODE`);
  const used = new Set<string>();
  for (const t of PII_TABLES) {
    for (const c of t.columns) {
      for (const r of await sql(`SELECT DISTINCT split_part(${c}, ':', 2) AS k FROM ${S}.${t.table} WHERE ${c} IS NOT NULL`)) used.add(r.k);
    }
  }
  return used;
}

export async function rotateKeys(ds: DataSource, env: Parameters<typeof treasuryKeyWrapper>[0] & { PII_KEY_REFRESH_MS?: number }, o: RotateOptions): Promise<RotateResult> {
  const minInactiveMs = 2 * (env.PII_KEY_REFRESH_MS ?? 60_000);
  if (o.retire && !o.resume) {
    throw new RetireRefused(
      `--retire is refused in the run that creates a new data key: running services keep encrypting with the old key until they reload (PII_KEY_REFRESH_MS). ` +
        `Retire it later, after ${minInactiveMs / 1000} s: rotate-keys --resume --retire`,
    );
  }
  const { wrapper, hmacKey } = treasuryKeyWrapper(env);
  const rewrapped = await ds.transaction((tx) => rewrapDataKeys(typeormSql(tx), S, wrapper));
  if (rewrapped) o.log(`re-wrapped ${rewrapped} data key(s) under master key ${wrapper.activeMasterKeyId}`);
  if (!o.resume) o.log(`new active data key ${await ds.transaction((tx) => createDataKey(typeormSql(tx), S, wrapper))}`);
  const cipher = await loadFieldCipher(typeormSql(ds), S, wrapper, hmacKey);
  o.log(`re-encrypting under ${cipher.activeKeyId} in batches of ${o.batch}`);
  const reencrypted: Record<string, number> = {};
  for (const t of PII_TABLES) reencrypted[t.table] = await reencryptTable(ds, cipher, t, o.batch, o.log);
  const used = await keyIdsInUse(typeormSql(ds));
  used.delete(cipher.activeKeyId);
  const remaining = used.size;
  o.log(remaining === 0 ? 'every value is under the active key' : `values under ${[...used].join(', ')} remain: run again with --resume`);
  const retired: string[] = [];
  const notRetired: string[] = [];
  if (o.retire && remaining === 0) {
    const r = await ds.transaction((tx) => retireDataKeys(typeormSql(tx), S, { minInactiveMs, keyIdsInUse: (sql) => keyIdsInUse(sql, true) }));
    retired.push(...r.retired);
    o.log(`retired data key(s): ${retired.join(', ') || 'none'}`);
    for (const k of r.tooRecent) {
      o.log(`data key ${k.id} stopped being active less than 2 × PII_KEY_REFRESH_MS ago (running services may still encrypt with it): run --resume --retire again after ${k.retireAfter.toISOString()}`);
      notRetired.push(k.id);
    }
    for (const id of r.inUse) {
      o.log(`data key ${id} is named by values written meanwhile: run --resume --retire again`);
      notRetired.push(id);
    }
  }
  return { activeKeyId: cipher.activeKeyId, rewrapped, reencrypted, remaining, retired, notRetired };
}

async function main(argv: string[]): Promise<void> {
  const flag = (name: string) => argv.includes(name);
  const batchAt = argv.indexOf('--batch');
  const batch = batchAt >= 0 ? Number(argv[batchAt + 1]) : 1000;
  if (!Number.isInteger(batch) || batch < 1 || batch > 10000) throw new Error('--batch takes 1..10000');
  const config = serviceConfig(definition);
  const ds = migrationDataSource(config.DATABASE_URL, S, []);
  await ds.initialize();
  try {
    const log = (l: string) => process.stdout.write(`payments-treasury rotate-keys: ${l}\n`);
    const r = await rotateKeys(ds, config, { resume: flag('--resume'), retire: flag('--retire'), batch, log });
    if (r.remaining > 0) process.exitCode = 3;
    else if (r.notRetired.length > 0) process.exitCode = 4;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`payments-treasury rotate-keys: ${(err as Error).message}\n`);
    process.exit(err instanceof RetireRefused ? 2 : 1);
  });
}
