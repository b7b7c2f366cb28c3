import 'reflect-metadata';
import {
  isCiphertext,
  migrationDataSource,
  piiKeysFromConfig,
  runRotateKeysCommand,
  serviceConfig,
  type FieldCipher,
  type KeyRotationPlan,
  type SqlRows,
} from '@eisss/platform';
import type { DataSource } from 'typeorm';
import { PII_DOCUMENTS } from './migrations/1764300000000-person-pii-encrypted';
import { DCI_SEALED_COLUMNS } from './migrations/1764600000000-dci-documents-sealed';
import { PII_FIELDS, keyIdsIn, reencryptPiiJson } from './person/person-pii';
import { REGISTER_SCHEMA as S } from './person/pii.service';
import { definition } from './service.definition';

/**
 * `node services/social-register/dist/rotate-keys.js [--resume] [--retire] [--batch N]`
 *
 * Data key rotation (libs/platform/src/crypto/key-rotation.ts: re-wrap under the newest master key, a
 * new active data key, re-encryption in batches, `--resume`, `--retire`, exit codes 2/3/4) over
 * the person columns, change requests, the person journal, merge snapshots and the sealed DCI documents.
 */
/** The jsonpath of the ciphertexts under a personal-data key of a document (as mapPiiJson reads them). */
const PII_CIPHERTEXTS = `strict $.** ? (@.type() == "object").keyvalue() ? (@.key like_regex "^(${PII_FIELDS.join('|')})$").value.** ? (@.type() == "string" && @ starts with "v1:")`;

async function reencryptPersons(ds: DataSource, cipher: FieldCipher, batch: number, log: (l: string) => void): Promise<number> {
  const [{ n: total }] = await ds.query(`SELECT count(*)::int AS n FROM ${S}.person`);
  let last = '00000000-0000-0000-0000-000000000000';
  let seen = 0;
  let changed = 0;
  const active = `v1:${cipher.activeKeyId}:`;
  for (;;) {
    const n = await ds.transaction(async (tx) => {
      const rows: Record<string, any>[] = await tx.query(
        `SELECT id, ${PII_FIELDS.map((f) => `${f}_enc`).join(', ')} FROM ${S}.person WHERE id > $1 ORDER BY id LIMIT ${batch} FOR UPDATE`,
        [last],
      );
      for (const r of rows) {
        const stale = PII_FIELDS.filter((f) => r[`${f}_enc`] !== null && !String(r[`${f}_enc`]).startsWith(active));
        if (stale.length === 0) continue;
        await tx.query(`UPDATE ${S}.person SET ${stale.map((f, i) => `${f}_enc = $${i + 2}`).join(', ')} WHERE id = $1`, [
          r.id,
          ...stale.map((f) => cipher.reencrypt(r[`${f}_enc`], f)),
        ]);
        changed++;
      }
      if (rows.length) last = rows[rows.length - 1]!.id;
      return rows.length;
    });
    if (n === 0) break;
    seen += n;
    log(`person: ${seen}/${total} rows checked, ${changed} re-encrypted`);
  }
  return changed;
}

async function reencryptDocuments(
  ds: DataSource,
  cipher: FieldCipher,
  batch: number,
  log: (l: string) => void,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const d of PII_DOCUMENTS) {
    const [{ n: total }] = await ds.query(`SELECT count(*)::int AS n FROM ${S}.${d.table}`);
    let last: string | null = null;
    let seen = 0;
    let changed = 0;
    for (;;) {
      const n: number = await ds.transaction(async (tx) => {
        const rows: Record<string, any>[] = await tx.query(
          `SELECT ${d.key}, ${d.columns.join(', ')} FROM ${S}.${d.table} WHERE $1::text IS NULL OR ${d.key}::text > $1::text ORDER BY ${d.key}::text LIMIT ${batch} FOR UPDATE`,
          [last],
        );
        for (const r of rows) {
          const stale = d.columns.filter((c) => [...keyIdsIn(r[c])].some((k) => k !== cipher.activeKeyId));
          if (stale.length === 0) continue;
          await tx.query(`UPDATE ${S}.${d.table} SET ${stale.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE ${d.key} = $1`, [
            r[d.key],
            ...stale.map((c) => JSON.stringify(reencryptPiiJson(cipher, r[c]))),
          ]);
          changed++;
        }
        if (rows.length) last = String(rows[rows.length - 1]![d.key]);
        return rows.length;
      });
      if (n === 0) break;
      seen += n;
      log(`${d.table}: ${seen}/${total} rows checked, ${changed} re-encrypted`);
    }
    out[d.table] = changed;
  }
  return out;
}

async function reencryptSealed(
  ds: DataSource,
  cipher: FieldCipher,
  batch: number,
  log: (l: string) => void,
): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const d of DCI_SEALED_COLUMNS) {
    const stale = d.columns
      .map((c) => `(jsonb_typeof(${c}) = 'string' AND ${c} #>> '{}' LIKE 'v1:%' AND split_part(${c} #>> '{}', ':', 2) <> $2)`)
      .join(' OR ');
    let last = '00000000-0000-0000-0000-000000000000';
    let changed = 0;
    for (;;) {
      const n: number = await ds.transaction(async (tx) => {
        const rows: Record<string, any>[] = await tx.query(
          `SELECT id, ${d.columns.join(', ')} FROM ${S}.${d.table} WHERE id > $1 AND (${stale}) ORDER BY id LIMIT ${batch} FOR UPDATE`,
          [last, cipher.activeKeyId],
        );
        for (const r of rows) {
          const cols = d.columns.filter((c) => isCiphertext(r[c]) && cipher.needsReencryption(r[c]));
          if (cols.length === 0) continue;
          await tx.query(`UPDATE ${S}.${d.table} SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [
            r.id,
            ...cols.map((c) => JSON.stringify(cipher.reencrypt(r[c], `${d.table}.${c}`))),
          ]);
          changed++;
        }
        if (rows.length) last = rows[rows.length - 1]!.id;
        return rows.length;
      });
      if (n === 0) break;
      log(`${d.table}: ${changed} re-encrypted`);
    }
    out[d.table] = changed;
  }
  return out;
}

/** Every table that holds values under the data keys. */
const VALUE_TABLES = ['person', ...PII_DOCUMENTS.map((d) => d.table), ...DCI_SEALED_COLUMNS.map((d) => d.table)];

/**
 * Key ids still named by any stored value. With `lock`, first locks the tables against writes until
 * the transaction `sql` runs in ends, so that the answer holds until then.
 */
export async function keyIdsInUse(sql: SqlRows, lock = false): Promise<Set<string>> {
  if (lock) await sql(`LOCK TABLE ${VALUE_TABLES.map((t) => `${S}.${t}`).join(', ')} IN SHARE MODE`);
  const used = new Set<string>();
  const add = (rows: Record<string, any>[]) => rows.forEach((r) => used.add(r.k));
  for (const f of PII_FIELDS)
    add(await sql(`SELECT DISTINCT split_part(${f}_enc, ':', 2) AS k FROM ${S}.person WHERE ${f}_enc IS NOT NULL`));
  for (const d of PII_DOCUMENTS) {
    for (const c of d.columns) {
      add(
        await sql(
          `SELECT DISTINCT split_part(v #>> '{}', ':', 2) AS k FROM ${S}.${d.table} t, LATERAL jsonb_path_query(t.${c}, '${PII_CIPHERTEXTS}') AS v`,
        ),
      );
    }
  }
  for (const d of DCI_SEALED_COLUMNS) {
    for (const c of d.columns)
      add(
        await sql(
          `SELECT DISTINCT split_part(${c} #>> '{}', ':', 2) AS k FROM ${S}.${d.table} WHERE jsonb_typeof(${c}) = 'string' AND ${c} #>> '{}' LIKE 'v1:%'`,
        ),
      );
  }
  return used;
}

/** The register's rotation: the person columns, change requests, the person journal, merge snapshots and the sealed DCI documents. */
export function registerRotationPlan(
  ds: DataSource,
  env: Parameters<typeof piiKeysFromConfig>[0] & { PII_KEY_REFRESH_MS?: number },
): KeyRotationPlan {
  return {
    schema: S,
    keys: piiKeysFromConfig(env),
    refreshMs: env.PII_KEY_REFRESH_MS ?? 60_000,
    reencrypt: async (cipher, batch, log) => ({
      person: await reencryptPersons(ds, cipher, batch, log),
      ...(await reencryptDocuments(ds, cipher, batch, log)),
      ...(await reencryptSealed(ds, cipher, batch, log)),
    }),
    keyIdsInUse,
  };
}

if (require.main === module) {
  runRotateKeysCommand('social-register', process.argv.slice(2), 500, async () => {
    const config = serviceConfig(definition);
    const ds = migrationDataSource(config.DATABASE_URL, S, []);
    await ds.initialize();
    return { db: ds, plan: registerRotationPlan(ds, config), close: () => ds.destroy() };
  });
}
