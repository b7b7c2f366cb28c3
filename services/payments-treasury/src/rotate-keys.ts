import 'reflect-metadata';
import {
  migrationDataSource,
  piiKeysFromConfig,
  runRotateKeysCommand,
  serviceConfig,
  type FieldCipher,
  type KeyRotationPlan,
  type SqlRows,
} from '@eisss/platform';
import type { DataSource } from 'typeorm';
import { PII_TABLES, TREASURY_SCHEMA as S } from './pii/treasury-pii';
import { definition } from './service.definition';

/**
 * `node services/payments-treasury/dist/rotate-keys.js [--resume] [--retire] [--batch N]`
 *
 * Data key rotation (libs/platform/src/crypto/key-rotation.ts: re-wrap under the newest master key, a
 * new active data key, re-encryption in batches, `--resume`, `--retire`, exit codes 2/3/4) over
 * every IBAN, payee РНОКПП and document number of `assignment` and `payment`.
 */
const FIELD_OF = (column: string) => column.replace(/_enc$/, '');
const stale = (columns: readonly string[], param: string) =>
  columns.map((c) => `(${c} IS NOT NULL AND split_part(${c}, ':', 2) <> ${param})`).join(' OR ');

/** Re-encrypts the rows of one table with a value under another key than the active one (keyset batches, one transaction each). */
async function reencryptTable(
  ds: DataSource,
  cipher: FieldCipher,
  t: (typeof PII_TABLES)[number],
  batch: number,
  log: (l: string) => void,
): Promise<number> {
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

/** The treasury's rotation: the IBAN, payee РНОКПП and document number of assignments and payments. */
export function treasuryRotationPlan(
  ds: DataSource,
  env: Parameters<typeof piiKeysFromConfig>[0] & { PII_KEY_REFRESH_MS?: number },
): KeyRotationPlan {
  return {
    schema: S,
    keys: piiKeysFromConfig(env),
    refreshMs: env.PII_KEY_REFRESH_MS ?? 60_000,
    reencrypt: async (cipher, batch, log) => {
      const out: Record<string, number> = {};
      for (const t of PII_TABLES) out[t.table] = await reencryptTable(ds, cipher, t, batch, log);
      return out;
    },
    keyIdsInUse,
  };
}

if (require.main === module) {
  runRotateKeysCommand('payments-treasury', process.argv.slice(2), 1000, async () => {
    const config = serviceConfig(definition);
    const ds = migrationDataSource(config.DATABASE_URL, S, []);
    await ds.initialize();
    return { db: ds, plan: treasuryRotationPlan(ds, config), close: () => ds.destroy() };
  });
}
