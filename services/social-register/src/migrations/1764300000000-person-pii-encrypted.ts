import {
  ensureActiveDataKey,
  loadFieldCipher,
  piiDataKeyTableDown,
  piiDataKeyTableUp,
  piiKeysFromConfig,
  runStatements,
  typeormSql,
  type FieldCipher,
} from '@eisss/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PII_FIELDS, openPersonColumns, openPiiJson, sealPersonColumns, sealPiiJson } from '../person/person-pii';

const S = 'social_register';
const BATCH = 500;

/** The documents that hold personal data beside the person row: table, key column, jsonb columns. */
export const PII_DOCUMENTS = [
  { table: 'change_request', key: 'id', columns: ['changes'] },
  { table: 'person_history', key: 'id', columns: ['changes'] },
  { table: 'merge_journal', key: 'id', columns: ['merged_snapshot', 'survivor_snapshot'] },
] as const;

async function cipherOf(q: QueryRunner): Promise<FieldCipher> {
  const { wrapper, hmacKey } = piiKeysFromConfig(process.env);
  const sql = typeormSql(q);
  await ensureActiveDataKey(sql, S, wrapper);
  return loadFieldCipher(sql, S, wrapper, hmacKey);
}

/** Rewrites the jsonb documents in batches with `fn`. */
async function rewriteDocuments(q: QueryRunner, fn: (doc: unknown) => unknown): Promise<void> {
  for (const d of PII_DOCUMENTS) {
    let last: string | number | null = null;
    for (;;) {
      const rows: Record<string, any>[] = await q.query(
        `SELECT ${d.key}, ${d.columns.join(', ')} FROM ${S}.${d.table} WHERE $1::text IS NULL OR ${d.key}::text > $1::text ORDER BY ${d.key}::text LIMIT ${BATCH}`,
        [last === null ? null : String(last)],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const sets = d.columns.map((c, i) => `${c} = $${i + 2}`);
        await q.query(`UPDATE ${S}.${d.table} SET ${sets.join(', ')} WHERE ${d.key} = $1`, [
          r[d.key],
          ...d.columns.map((c) => JSON.stringify(fn(r[c]))),
        ]);
      }
      last = rows[rows.length - 1]![d.key];
    }
  }
}

/**
 * РНОКПП, УНЗР, phone, e-mail and IBAN encrypted at rest: the plain columns become `<field>_enc`
 * ciphertexts under the register's data key (created here, wrapped by the master key of
 * PII_MASTER_KEYS), with `<field>_hash` (HMAC, PII_HMAC_KEY) for РНОКПП, УНЗР and IBAN; the unique
 * indexes of РНОКПП and УНЗР move to the hashes. Change requests, the person journal and merge
 * snapshots keep these values encrypted inside their documents. Existing rows are converted; down
 * decrypts them back.
 *
 * Each converted row is written with its plain columns set to NULL (the documents are rewritten
 * whole) before the columns are dropped, so no live row holds a plain value. The row versions
 * from before the conversion stay in the table files until they are rewritten, and in WAL and
 * backups: after this migration run `VACUUM FULL` on social_register.person, change_request,
 * person_history and merge_journal (outside the migration: it locks each table exclusively), and
 * expire the backups and archived WAL taken before it. See README, "Personal data at rest".
 */
export class PersonPiiEncrypted1764300000000 implements MigrationInterface {
  name = 'PersonPiiEncrypted1764300000000';

  async up(q: QueryRunner): Promise<void> {
    await runStatements(q, piiDataKeyTableUp(S));
    const cipher = await cipherOf(q);
    await q.query(
      `ALTER TABLE ${S}.person ${PII_FIELDS.map((f) => `ADD COLUMN ${f}_enc text`).join(', ')}, ADD COLUMN rnokpp_hash text, ADD COLUMN unzr_hash text, ADD COLUMN iban_hash text`,
    );
    let last = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Record<string, any>[] = await q.query(
        `SELECT id, ${PII_FIELDS.join(', ')} FROM ${S}.person WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [last],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const cols = sealPersonColumns(cipher, Object.fromEntries(PII_FIELDS.map((f) => [f, r[f]?.trim() ?? null])));
        const names = Object.keys(cols);
        // The plain columns are emptied in the same UPDATE: DROP COLUMN does not rewrite the rows.
        await q.query(
          `UPDATE ${S}.person SET ${[...names.map((n, i) => `${n} = $${i + 2}`), ...PII_FIELDS.map((f) => `${f} = NULL`)].join(', ')} WHERE id = $1`,
          [r.id, ...names.map((n) => cols[n])],
        );
      }
      last = rows[rows.length - 1]!.id;
    }
    await rewriteDocuments(q, (doc) => sealPiiJson(cipher, doc));
    await runStatements(q, [
      `DROP INDEX ${S}.person_rnokpp_uq`,
      `DROP INDEX ${S}.person_unzr_uq`,
      `ALTER TABLE ${S}.person ${PII_FIELDS.map((f) => `DROP COLUMN ${f}`).join(', ')}`,
      `CREATE UNIQUE INDEX person_rnokpp_uq ON ${S}.person (rnokpp_hash) WHERE rnokpp_hash IS NOT NULL`,
      `CREATE UNIQUE INDEX person_unzr_uq ON ${S}.person (unzr_hash) WHERE unzr_hash IS NOT NULL`,
      `CREATE INDEX person_iban_hash_idx ON ${S}.person (iban_hash) WHERE iban_hash IS NOT NULL`,
      `ALTER TABLE ${S}.person ADD CONSTRAINT person_pii_encrypted CHECK (${PII_FIELDS.map((f) => `(${f}_enc IS NULL OR ${f}_enc LIKE 'v1:%')`).join(' AND ')})`,
    ]);
  }

  async down(q: QueryRunner): Promise<void> {
    const cipher = await cipherOf(q);
    await runStatements(q, [
      `ALTER TABLE ${S}.person DROP CONSTRAINT person_pii_encrypted`,
      `ALTER TABLE ${S}.person ADD COLUMN rnokpp char(10), ADD COLUMN unzr text, ADD COLUMN phone text, ADD COLUMN email text, ADD COLUMN iban char(29)`,
    ]);
    let last = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows: Record<string, any>[] = await q.query(
        `SELECT id, ${PII_FIELDS.map((f) => `${f}_enc`).join(', ')} FROM ${S}.person WHERE id > $1 ORDER BY id LIMIT ${BATCH}`,
        [last],
      );
      if (rows.length === 0) break;
      for (const r of rows) {
        const plain = openPersonColumns(cipher, r);
        await q.query(`UPDATE ${S}.person SET ${PII_FIELDS.map((f, i) => `${f} = $${i + 2}`).join(', ')} WHERE id = $1`, [
          r.id,
          ...PII_FIELDS.map((f) => plain[f]),
        ]);
      }
      last = rows[rows.length - 1]!.id;
    }
    await rewriteDocuments(q, (doc) => openPiiJson(cipher, doc));
    await runStatements(q, [
      `DROP INDEX ${S}.person_iban_hash_idx`,
      `DROP INDEX ${S}.person_unzr_uq`,
      `DROP INDEX ${S}.person_rnokpp_uq`,
      `ALTER TABLE ${S}.person ${PII_FIELDS.map((f) => `DROP COLUMN ${f}_enc`).join(', ')}, DROP COLUMN rnokpp_hash, DROP COLUMN unzr_hash, DROP COLUMN iban_hash`,
      `CREATE UNIQUE INDEX person_rnokpp_uq ON ${S}.person (rnokpp) WHERE rnokpp IS NOT NULL`,
      `CREATE UNIQUE INDEX person_unzr_uq ON ${S}.person (unzr) WHERE unzr IS NOT NULL`,
      ...piiDataKeyTableDown(S),
    ]);
  }
}
