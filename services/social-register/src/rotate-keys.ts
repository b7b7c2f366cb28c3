import 'reflect-metadata';
import { createDataKey, isCiphertext, loadFieldCipher, migrationDataSource, retireDataKeys, rewrapDataKeys, serviceConfig, typeormSql, type FieldCipher, type SqlRows } from '@eisss/platform';
import type { DataSource } from 'typeorm';
import { PII_DOCUMENTS } from './migrations/1764300000000-person-pii-encrypted';
import { DCI_SEALED_COLUMNS } from './migrations/1764600000000-dci-documents-sealed';
import { PII_FIELDS, keyIdsIn, reencryptPiiJson } from './person/person-pii';
import { REGISTER_SCHEMA as S, registerKeyWrapper } from './person/pii.service';
import { definition } from './service.definition';

/**
 * `node services/social-register/dist/rotate-keys.js [--resume] [--retire] [--batch N]`
 *
 * 1. re-wraps every data key under the first master key of PII_MASTER_KEYS (master key rotation);
 * 2. creates a new active data key (not with --resume: then it continues towards the current one);
 * 3. re-encrypts, in batches of N rows (one transaction each), every value under another key: the
 *    person columns, change requests, the person journal and merge snapshots. Old keys stay readable
 *    throughout, and running services pick up the new key (PII_KEY_REFRESH_MS, or at once on meeting it);
 * 4. reports how many values still name another key (rows written by a service that had not picked up
 *    the new key yet: run again with --resume).
 * Interrupted, it is run again with --resume.
 *
 * `--resume --retire` then deletes the old data keys, but only a key that stopped being active more
 * than 2 × PII_KEY_REFRESH_MS ago (every replica has reloaded its keys since, so none still encrypts
 * with it) and that no stored value names, counted again under lock in the transaction that deletes.
 * `--retire` is refused in the run that creates the new key (exit 2): replicas still encrypt with the
 * old one. Exit 3: values under older keys remain; exit 4: a key could not retire yet.
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
  /** Old keys --retire left in place: too recently deactivated, or still named by a value. */
  notRetired: string[];
}

/** `--retire` without `--resume`: the key this run would deactivate may still be in use by replicas. */
export class RetireRefused extends Error {}


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
        await tx.query(`UPDATE ${S}.person SET ${stale.map((f, i) => `${f}_enc = $${i + 2}`).join(', ')} WHERE id = $1`, [r.id, ...stale.map((f) => cipher.reencrypt(r[`${f}_enc`], f))]);
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

async function reencryptDocuments(ds: DataSource, cipher: FieldCipher, batch: number, log: (l: string) => void): Promise<Record<string, number>> {
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
          await tx.query(`UPDATE ${S}.${d.table} SET ${stale.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE ${d.key} = $1`, [r[d.key], ...stale.map((c) => JSON.stringify(reencryptPiiJson(cipher, r[c])))]);
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

async function reencryptSealed(ds: DataSource, cipher: FieldCipher, batch: number, log: (l: string) => void): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const d of DCI_SEALED_COLUMNS) {
    const stale = d.columns.map((c) => `(jsonb_typeof(${c}) = 'string' AND ${c} #>> '{}' LIKE 'v1:%' AND split_part(${c} #>> '{}', ':', 2) <> $2)`).join(' OR ');
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
          await tx.query(`UPDATE ${S}.${d.table} SET ${cols.map((c, i) => `${c} = $${i + 2}`).join(', ')} WHERE id = $1`, [r.id, ...cols.map((c) => JSON.stringify(cipher.reencrypt(r[c], `${d.table}.${c}`)))]);
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
  for (const f of PII_FIELDS) add(await sql(`SELECT DISTINCT split_part(${f}_enc, ':', 2) AS k FROM ${S}.person WHERE ${f}_enc IS NOT NULL`));
  for (const d of PII_DOCUMENTS) {
    for (const c of d.columns) {
      add(await sql(`SELECT DISTINCT split_part(v #>> '{}', ':', 2) AS k FROM ${S}.${d.table} t, LATERAL jsonb_path_query(t.${c}, '${PII_CIPHERTEXTS}') AS v`));
    }
  }
  for (const d of DCI_SEALED_COLUMNS) {
    for (const c of d.columns) add(await sql(`SELECT DISTINCT split_part(${c} #>> '{}', ':', 2) AS k FROM ${S}.${d.table} WHERE jsonb_typeof(${c}) = 'string' AND ${c} #>> '{}' LIKE 'v1:%'`));
  }
  return used;
}

export async function rotateKeys(ds: DataSource, env: Parameters<typeof registerKeyWrapper>[0] & { PII_KEY_REFRESH_MS?: number }, o: RotateOptions): Promise<RotateResult> {
  const minInactiveMs = 2 * (env.PII_KEY_REFRESH_MS ?? 60_000);
  if (o.retire && !o.resume) {
    throw new RetireRefused(
      `--retire is refused in the run that creates a new data key: running services keep encrypting with the old key until they reload (PII_KEY_REFRESH_MS). ` +
        `Retire it later, after ${minInactiveMs / 1000} s: rotate-keys --resume --retire`,
    );
  }
  const { wrapper, hmacKey } = registerKeyWrapper(env);
  const rewrapped = await ds.transaction((tx) => rewrapDataKeys(typeormSql(tx), S, wrapper));
  if (rewrapped) o.log(`re-wrapped ${rewrapped} data key(s) under master key ${wrapper.activeMasterKeyId}`);
  if (!o.resume) {
    const id = await ds.transaction((tx) => createDataKey(typeormSql(tx), S, wrapper));
    o.log(`new active data key ${id}`);
  }
  const cipher = await loadFieldCipher(typeormSql(ds), S, wrapper, hmacKey);
  o.log(`re-encrypting under ${cipher.activeKeyId} in batches of ${o.batch}`);
  const reencrypted = {
    person: await reencryptPersons(ds, cipher, o.batch, o.log),
    ...(await reencryptDocuments(ds, cipher, o.batch, o.log)),
    ...(await reencryptSealed(ds, cipher, o.batch, o.log)),
  };
  const used = await keyIdsInUse(typeormSql(ds));
  used.delete(cipher.activeKeyId);
  const remaining = used.size;
  o.log(remaining === 0 ? 'every value is under the active key' : `values under ${[...used].join(', ')} remain: run again with --resume`);
  let retired: string[] = [];
  const notRetired: string[] = [];
  if (o.retire && remaining === 0) {
    const r = await ds.transaction((tx) => retireDataKeys(typeormSql(tx), S, { minInactiveMs, keyIdsInUse: (sql) => keyIdsInUse(sql, true) }));
    retired = r.retired;
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
  const batch = batchAt >= 0 ? Number(argv[batchAt + 1]) : 500;
  if (!Number.isInteger(batch) || batch < 1 || batch > 10000) throw new Error('--batch takes 1..10000');
  const config = serviceConfig(definition);
  const ds = migrationDataSource(config.DATABASE_URL, S, []);
  await ds.initialize();
  try {
    const log = (l: string) => process.stdout.write(`social-register rotate-keys: ${l}\n`);
    const r = await rotateKeys(ds, config, { resume: flag('--resume'), retire: flag('--retire'), batch, log });
    if (r.remaining > 0) process.exitCode = 3;
    else if (r.notRetired.length > 0) process.exitCode = 4;
  } finally {
    await ds.destroy();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err) => {
    process.stderr.write(`social-register rotate-keys: ${(err as Error).message}\n`);
    process.exit(err instanceof RetireRefused ? 2 : 1);
  });
}
